import { Indexer } from '../../core/index/indexer/indexer';
import type { IndexReport } from '../../core/index/indexer/indexReport';
import { CorruptIndexError, IndexMismatchError } from '../../core/index/store/indexErrors';
import { diskFullMessage, isDiskFull } from '../../core/index/store/diskFull';
import { IndexStore, type OpenForWritingOptions } from '../../core/index/store/indexStore';
import { describeHolder } from '../../core/index/store/writerLock';
import { indexerOptionsFrom, indexIdentityFrom } from '../../core/settings/sightlineSettings';
import type { CliArguments } from '../cliArguments';
import { apiKey, checkIndexDirForWriting, type CliOutput, clientFor, indexDirFor, resolveRoot, settingsFrom } from '../cliContext';
import { formatDuration, progressPrinter } from '../progressPrinter';
import { ExitCode, exitCodeForStop } from '../exitCodes';
import { UsageError } from '../usageError';
import { openCliSharedCache } from '../cliSharedCache';
import { printable } from '../terminalText';

export async function indexCommand(args: CliArguments, output: CliOutput, signal: AbortSignal): Promise<number> {
  const root = resolveRoot(args.positionals[0] ?? args.root);
  const dir = indexDirFor(args, root);
  checkIndexDirForWriting(dir, root);
  const settings = settingsFrom(args);
  const client = clientFor(settings, apiKey());
  if (!client) throw new UsageError('no API key: set the SIGHTLINE_API_KEY environment variable');
  const identity = indexIdentityFrom(settings);
  // The cache is opened and checked first: one that is refused leaves the index untouched.
  const sharedCache = args.cache ? await openCliSharedCache(args, settings, await knownVectorDims(dir, identity), signal) : undefined;

  const lock: OpenForWritingOptions['lock'] = {
    signal,
    holderDescription: 'sightline index',
    onWait: (holder) => output.err(`another Sightline process${describeHolder(holder)} is indexing this index; waiting for it to finish…\n`),
  };
  let store: IndexStore;
  try {
    store = await IndexStore.open(dir, identity, { lock, rebuild: args.rebuild });
  } catch (error) {
    await sharedCache?.close();
    if (error instanceof IndexMismatchError) {
      output.err(`${printable(error.message)} Rebuilding.\n`);
      store = await IndexStore.open(dir, identity, { lock, rebuild: true });
    } else if (isNotWritable(error)) {
      throw new UsageError(
        `cannot write the index in ${dir} (${(error as NodeJS.ErrnoException).code}: the folder is read-only or not yours); "sightline status" and "sightline search" still read it`,
      );
    } else if (error instanceof CorruptIndexError) {
      throw new UsageError(`the index in ${dir} is damaged (${error.message}). Run again with --rebuild to rebuild it from scratch.`);
    } else throw error;
  }
  if (sharedCache && store.vectorDims && store.vectorDims !== sharedCache.vectorDims) {
    await Promise.all([sharedCache.close(), store.close()]);
    throw new UsageError(`the shared cache ${sharedCache.source} holds ${sharedCache.vectorDims}-value vectors; this index stores ${store.vectorDims}`);
  }

  const progress = progressPrinter(output);
  let report: IndexReport | undefined;
  // With --strict, every warning the index holds counts, also those of files this run found unchanged.
  let standingWarnings = 0;
  try {
    const indexer = new Indexer(store, client, { ...indexerOptionsFrom(settings, [{ key: '', path: root }]), ...(sharedCache ? { sharedCache } : {}) });
    report = await indexer.run({ signal, onProgress: progress.update, retryFailed: args.retryFailed });
    for (const record of store.catalog.allFiles()) standingWarnings += record.warnings?.length ?? 0;
  } finally {
    progress.done();
    // Closing saves what is still pending; when that fails too (the disk is still full), the
    // run's own report already says why, and a second error must not hide it.
    const closing = await store.close().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    await client.close();
    await sharedCache?.close();
    if (closing !== undefined && report && !report.fatal) {
      report.fatal = isDiskFull(closing) ? { kind: 'disk-full', message: await diskFullMessage(dir) } : { kind: 'internal', message: closing.message };
    }
  }

  if (args.json) output.out(`${JSON.stringify(report, null, 2)}\n`);
  else output.out(summary(report));
  if (report.fatal) {
    output.err(`sightline: ${printable(report.fatal.message)}
`);
    return exitCodeForStop(report.fatal.kind);
  }
  if (report.cancelled) return ExitCode.failed;
  if (report.failed.length) return ExitCode.failed;
  // Warnings (a dead image link, an ignored image) leave every file indexed: a docs build passes unless asked to be strict.
  if (args.strict && standingWarnings) {
    output.err(`sightline: ${plural(standingWarnings, 'warning')} in the index (--strict); "sightline status" lists them\n`);
    return ExitCode.failed;
  }
  return ExitCode.ok;
}

function summary(report: IndexReport): string {
  const lines = [
    `${report.cancelled ? 'Cancelled' : report.fatal ? 'Stopped' : 'Indexed'} in ${formatDuration(report.durationMs / 1000)}: ` +
      `${report.filesSeen} files seen, ${report.filesUnchanged} unchanged, ${report.filesIndexed} indexed, ` +
      `${report.filesReused} reused, ${report.filesRemoved} removed` +
      (report.failed.length || report.warnings.length ? `; ${plural(report.failed.length, 'failure')}, ${plural(report.warnings.length, 'warning')}.` : '.'),
    `Items: ${report.itemsEmbedded} embedded, ${report.itemsReused - report.itemsFromSharedCache} reused` +
      (report.sharedCache ? `, ${report.itemsFromSharedCache} reused from the shared cache` : '') +
      ' ' +
      `(images ${report.itemsByKind.image}, markdown ${report.itemsByKind.markdown}, pdf ${report.itemsByKind.pdf}` +
      (report.itemsByKind.notebook ? `, notebooks ${report.itemsByKind.notebook}` : '') +
      ').',
  ];
  if (report.usage) lines.push(apiLine(report));
  if (report.sharedCache) {
    const { source, entries } = report.sharedCache;
    lines.push(`Shared cache: ${printable(source)} (${plural(entries, 'entry')}).`);
    for (const note of report.sharedCache.notes) lines.push(`shared cache: ${printable(note)}`);
  }
  for (const skip of report.skipped.slice(0, 20)) lines.push(`skipped ${printable(skip.path || '(root)')}: ${printable(skip.message)}`);
  if (report.skipped.length > 20) lines.push(`… and ${report.skipped.length - 20} more skipped`);
  for (const failure of report.failed.slice(0, 50)) lines.push(`failed ${printable(failure.path)}: ${printable(failure.message)}`);
  if (report.failed.length > 50) lines.push(`… and ${report.failed.length - 50} more failures`);
  for (const warning of report.warnings.slice(0, 50)) lines.push(`warning ${printable(warning.path)}: ${printable(warning.message)}`);
  if (report.warnings.length > 50) lines.push(`… and ${report.warnings.length - 50} more warnings`);
  return `${lines.join('\n')}\n`;
}

/** `API: 589 requests: 67 text batches (2144 texts), 250 images, 236 images in documents, 36 PDF pages; 0 retries, 812345 tokens.` */
function apiLine(report: IndexReport): string {
  const { requests } = report;
  const usage = report.usage!;
  const parts = [
    `${plural(requests.textBatches, 'text batch')} (${plural(requests.texts, 'text')})`,
    plural(requests.images, 'image'),
    `${plural(requests.figures, 'image')} in documents`,
    plural(requests.pdfPages, 'PDF page'),
  ];
  return `API: ${plural(usage.requests, 'request')}: ${parts.join(', ')}; ${plural(usage.retries, 'retry')}, ${usage.promptTokens} tokens.`;
}

function plural(count: number, noun: string): string {
  if (count === 1) return `${count} ${noun}`;
  return `${count} ${noun.endsWith('ch') ? `${noun}es` : noun.endsWith('y') ? `${noun.slice(0, -1)}ies` : `${noun}s`}`;
}

/** The vector length of an index of this identity already in `dir`, or 0 (none yet, or it will be rebuilt). */
async function knownVectorDims(dir: string, identity: { model: string; dimensions: number | 'full' }): Promise<number> {
  const manifest = await IndexStore.readManifest(dir).catch(() => undefined);
  return manifest && manifest.model === identity.model && manifest.dimensions === identity.dimensions ? manifest.vectorDims : 0;
}

function isNotWritable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EROFS' || code === 'EACCES' || code === 'EPERM';
}
