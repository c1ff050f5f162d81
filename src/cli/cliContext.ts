import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { EmbeddingClient } from '../core/embed/embeddingClient';
import { checkIndexFolder, checkNamedIndexFiles } from '../core/index/store/indexFileAccess';
import { THUMBNAIL_FOLDER } from '../core/index/store/indexFileNames';
import { CorruptIndexError, IndexMismatchError } from '../core/index/store/indexErrors';
import type { IndexManifest } from '../core/index/store/indexManifest';
import { IndexStore } from '../core/index/store/indexStore';
import { clientOptionsFrom, DEFAULT_SETTINGS, indexIdentityFrom, type SightlineSettings } from '../core/settings/sightlineSettings';
import { type CliArguments, checkedEndpoint, positiveInteger, positiveRate } from './cliArguments';
import { UsageError } from './usageError';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
}

export function resolveRoot(given: string | undefined): string {
  const root = path.resolve(given ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${root} is not a folder`);
  return root;
}

export function indexDirFor(args: CliArguments, root: string): string {
  return path.resolve(args.indexDir ?? path.join(root, '.sightline'));
}

/** A writer's index folder must be a folder of its own, never the workspace or above it. */
export function checkIndexDirForWriting(dir: string, root: string): void {
  const relative = path.relative(dir, root);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new UsageError(
      `--index-dir ${dir} is ${relative === '' ? 'the workspace folder itself' : 'a folder that contains the workspace'}: the index needs a folder of its own (the default is ${path.join(root, '.sightline')})`,
    );
  }
}

export function settingsFrom(args: CliArguments, recorded?: { model: string; dimensions: number | 'full' }): SightlineSettings {
  const dimensions = args.dimensions ?? (recorded && recorded.dimensions !== 'full' ? recorded.dimensions : undefined);
  return {
    ...DEFAULT_SETTINGS,
    endpoint: args.endpoint ?? fromEnvironmentText('SIGHTLINE_ENDPOINT', checkedEndpoint) ?? DEFAULT_SETTINGS.endpoint,
    model: args.model ?? recorded?.model ?? process.env.SIGHTLINE_MODEL ?? DEFAULT_SETTINGS.model,
    dimensions,
    requestsPerSecond: args.rate ?? fromEnvironment('SIGHTLINE_RATE', positiveRate) ?? DEFAULT_SETTINGS.requestsPerSecond,
    burst: args.burst ?? fromEnvironment('SIGHTLINE_BURST', positiveInteger) ?? DEFAULT_SETTINGS.burst,
    concurrency: args.concurrency ?? fromEnvironment('SIGHTLINE_CONCURRENCY', positiveInteger) ?? DEFAULT_SETTINGS.concurrency,
  };
}

function fromEnvironmentText(name: string, check: (label: string, value: string) => string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? check(name, value) : undefined;
}

/** A pacing variable, checked like its flag; unset or empty means the default. */
function fromEnvironment(name: string, parse: (label: string, value: string) => number): number | undefined {
  const value = process.env[name]?.trim();
  return value ? parse(name, value) : undefined;
}

export function apiKey(): string | undefined {
  return process.env.SIGHTLINE_API_KEY?.trim() || undefined;
}

export function clientFor(settings: SightlineSettings, key: string | undefined): EmbeddingClient | undefined {
  return key ? new EmbeddingClient(clientOptionsFrom(settings, key)) : undefined;
}

/**
 * Opens an existing index read-only (nothing in its folder is created or changed), with the
 * model it was built with unless told otherwise.
 */
export async function openExistingIndex(args: CliArguments, root: string): Promise<{ store: IndexStore; settings: SightlineSettings }> {
  const { dir, manifest } = await readExistingManifest(args, root);
  const settings = settingsFrom(args, manifest);
  try {
    return { store: await IndexStore.openReadOnly(dir, indexIdentityFrom(settings)), settings };
  } catch (error) {
    if (error instanceof IndexMismatchError || error instanceof CorruptIndexError) {
      throw new UsageError(`${error.message}${error instanceof CorruptIndexError ? ' Run "sightline index --rebuild" to rebuild it.' : ''}`);
    }
    throw error;
  }
}

/**
 * The manifest of an existing index, read-only, with the same checks as opening it (a folder,
 * not a link; the files it names checked). It may be of an older format (readers read it as is).
 */
export async function readExistingManifest(args: CliArguments, root: string): Promise<{ dir: string; manifest: IndexManifest }> {
  const dir = indexDirFor(args, root);
  const manifest = await (async () => {
    if (await checkIndexFolder(dir)) await checkIndexFolder(path.join(dir, THUMBNAIL_FOLDER));
    return IndexStore.readManifest(dir);
  })().catch((error: unknown) => {
    throw new UsageError((error as Error).message);
  });
  if (!manifest) throw new UsageError(`there is no index in ${dir}: run "sightline index" first`);
  const named = [manifest.journal.file, ...manifest.segments.map((s) => s.file), ...(manifest.problems ? [manifest.problems] : [])];
  await checkNamedIndexFiles(dir, manifest.journal.bytes ? named : named.slice(1)).catch((error: unknown) => {
    throw new UsageError((error as Error).message);
  });
  return { dir, manifest };
}
