import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SearchEngine } from '../../core/index/search/searchEngine';
import { SearchIndex } from '../../core/index/search/searchIndex';
import type { SearchQuery, SearchResponse } from '../../core/index/search/searchTypes';
import type { CliArguments } from '../cliArguments';
import { apiKey, type CliOutput, clientFor, openExistingIndex, resolveRoot } from '../cliContext';
import { printResults } from '../printResults';
import { sniffImageKind } from '../../core/sources/image/imageSignature';
import { UsageError } from '../usageError';

/** `search <query> [--image FILE]` and `similar <image-file>` share everything but the query. */
export async function searchCommand(args: CliArguments, output: CliOutput, signal: AbortSignal, similar: boolean): Promise<number> {
  const root = resolveRoot(args.root);
  const text = similar ? undefined : args.positionals.join(' ').trim() || undefined;
  const imageFile = similar ? args.positionals[0] : args.image;
  if (!text && !imageFile) throw new UsageError(similar ? 'similar needs an image file' : 'search needs a query (words, --image FILE, or both)');

  const { store, settings } = await openExistingIndex(args, root);
  const client = clientFor(settings, apiKey());
  try {
    const query = await buildQuery(root, text, imageFile, store.catalog.getFile.bind(store.catalog));
    if (!client && !query.similarTo && !text) throw new UsageError('searching by an image that is not indexed needs SIGHTLINE_API_KEY');
    // One query, then the process exits: the scan codes are streamed rather than held.
    const engine = new SearchEngine(
      store,
      client,
      { queryInstruction: settings.queryInstruction, pixelBudget: settings.pixelBudget },
      new SearchIndex(store, false),
    );
    const response: SearchResponse = await engine.search(query, {
      top: args.top,
      filters: { kinds: args.kinds.length ? args.kinds : similar ? ['image'] : undefined, pathGlob: args.pathGlob },
      signal,
    });
    printResults(response, args.json, output);
    return 0;
  } finally {
    await client?.close();
    await store.close();
  }
}

async function buildQuery(
  root: string,
  text: string | undefined,
  imageFile: string | undefined,
  lookup: (root: string, relativePath: string) => unknown,
): Promise<SearchQuery> {
  if (!imageFile) return { text };
  const absolute = path.resolve(imageFile);
  const relative = path.relative(root, absolute).split(path.sep).join('/');
  if (!text && !relative.startsWith('..') && lookup('', relative)) return { similarTo: { root: '', path: relative } };
  let imageBytes: Uint8Array;
  try {
    imageBytes = await fs.readFile(absolute);
  } catch (error) {
    throw new UsageError(`cannot read ${imageFile}: ${(error as Error).message}`);
  }
  // Said at once, naming the file, rather than after a round trip to the service.
  if (!sniffImageKind(imageBytes)) throw new UsageError(`${imageFile} is not an image (PNG, JPEG, WebP, GIF, TIFF, AVIF, HEIC, BMP, SVG)`);
  return { text, imageBytes };
}
