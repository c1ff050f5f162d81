import { parseArgs } from 'node:util';
import { FILE_KINDS, type FileKind } from '../core/sources/walk/fileKind';
import { CACHE_MEGABYTES_RANGE, DIMENSIONS_RANGE, endpointProblem, type SettingRange, TOP_RANGE } from '../core/settings/settingLimits';
import { UsageError } from './usageError';

export const USAGE = `Usage: sightline <command> [options]

Commands:
  index [root]                 index (or update) the images, markdown, PDFs and notebooks under root
  search <query>               search by words; add --image FILE to search by an image too
  similar <image-file>         find images like an indexed or any image file
  duplicates                   list groups of identical and near-identical images
  status [root]                counts, model and failures of the index
  models                       list the models the endpoint serves
  cache export FILE            write the index's vectors as a shared cache file (no paths or text)
  cache info FILE              what a shared cache file holds, and whether it fits this index

Options:
  --index-dir DIR     where the index lives (default: <root>/.sightline)
  --root DIR          the workspace folder for search, similar, duplicates (default: .)
  --endpoint URL      OpenAI-compatible base URL ending in /v1
  --model ID          embedding model id
  --dimensions N      Matryoshka cut of the vectors
  --rate R            requests per second the endpoint allows (default 5, IONOS's limit)
  --burst N           requests that may start at once after a quiet spell (default 10)
  --concurrency N     requests in flight at once (default 4)
  --kind KIND         image, markdown, pdf or notebook (repeatable) for search and similar
  --path GLOB         only results under this glob
  --top K             number of results (default 10)
  --image FILE        query image for search
  --rebuild           with index: rebuild a damaged index from scratch
  --retry-failed      with index: try files that failed before again, even if unchanged
  --strict            with index: exit 1 on warnings too (a missing or ignored image reference)
  --cache SOURCE      with index: take vectors from a shared cache first (a file, a folder
                      of them or an http(s) URL) and embed only what it lacks
  --cache-max-mb N    the largest shared cache read or downloaded, in MiB (default 1024)
  --with-text         with cache export: add each entry's file path and text
  --json              print one JSON document
  -h, --help          this help

The API key is read from the SIGHTLINE_API_KEY environment variable. SIGHTLINE_ENDPOINT,
SIGHTLINE_MODEL, SIGHTLINE_RATE, SIGHTLINE_BURST and SIGHTLINE_CONCURRENCY stand in for the
flags of the same names; a flag wins over its variable. SIGHTLINE_CACHE_TOKEN is sent as a
bearer token to an https --cache URL.`;

export interface CliArguments {
  readonly command: string;
  readonly positionals: readonly string[];
  readonly indexDir?: string;
  readonly root?: string;
  readonly endpoint?: string;
  readonly model?: string;
  readonly dimensions?: number;
  /** Pacing for servers without the provider's limit; undefined falls back to the environment, then the defaults. */
  readonly rate?: number;
  readonly burst?: number;
  readonly concurrency?: number;
  readonly kinds: readonly FileKind[];
  readonly pathGlob?: string;
  readonly top: number;
  readonly image?: string;
  readonly rebuild: boolean;
  readonly retryFailed: boolean;
  readonly strict: boolean;
  /** A shared cache to fill the index from: a file, a folder of them or an http(s) URL. */
  readonly cache?: string;
  readonly cacheMaxMegabytes?: number;
  readonly withText: boolean;
  readonly json: boolean;
  readonly help: boolean;
}

export function parseCliArguments(argv: readonly string[]): CliArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'index-dir': { type: 'string' },
        root: { type: 'string' },
        endpoint: { type: 'string' },
        model: { type: 'string' },
        dimensions: { type: 'string' },
        rate: { type: 'string' },
        burst: { type: 'string' },
        concurrency: { type: 'string' },
        kind: { type: 'string', multiple: true },
        path: { type: 'string' },
        top: { type: 'string' },
        image: { type: 'string' },
        rebuild: { type: 'boolean', default: false },
        'retry-failed': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        cache: { type: 'string' },
        'cache-max-mb': { type: 'string' },
        'with-text': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // Node words some of these over several lines; a usage error is one line.
    throw new UsageError((error as Error).message.replace(/\s*\n\s*/g, ' '));
  }
  const { values, positionals } = parsed;
  const kinds = (values.kind ?? []).map((kind) => {
    if (!(FILE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be image, markdown, pdf or notebook, not "${kind}"`);
    return kind as FileKind;
  });
  return {
    command: positionals[0] ?? '',
    positionals: positionals.slice(1),
    indexDir: values['index-dir'],
    root: values.root,
    endpoint: values.endpoint === undefined ? undefined : checkedEndpoint('--endpoint', values.endpoint),
    model: values.model,
    dimensions: values.dimensions === undefined ? undefined : integerIn('--dimensions', values.dimensions, DIMENSIONS_RANGE),
    rate: values.rate === undefined ? undefined : positiveRate('--rate', values.rate),
    burst: values.burst === undefined ? undefined : positiveInteger('--burst', values.burst),
    concurrency: values.concurrency === undefined ? undefined : positiveInteger('--concurrency', values.concurrency),
    kinds,
    pathGlob: values.path,
    top: values.top === undefined ? 10 : integerIn('--top', values.top, TOP_RANGE),
    image: values.image,
    rebuild: values.rebuild ?? false,
    retryFailed: values['retry-failed'] ?? false,
    strict: values.strict ?? false,
    cache: values.cache === undefined ? undefined : nonEmpty('--cache', values.cache),
    cacheMaxMegabytes: values['cache-max-mb'] === undefined ? undefined : integerIn('--cache-max-mb', values['cache-max-mb'], CACHE_MEGABYTES_RANGE),
    withText: values['with-text'] ?? false,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

function nonEmpty(flag: string, value: string): string {
  if (!value.trim()) throw new UsageError(`${flag} takes a file, a folder or an http(s) URL`);
  return value.trim();
}

/** Requests per second: any positive number (0.5 is one request every two seconds). */
export function positiveRate(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0)
    throw new UsageError(`${flag} takes a positive number of requests per second, not "${value}"`);
  return number;
}

export function positiveInteger(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new UsageError(`${flag} takes a positive whole number, not "${value}"`);
  return number;
}

/** A whole number inside the range the extension allows too. */
export function integerIn(flag: string, value: string, range: SettingRange): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < range.min || number > range.max) {
    throw new UsageError(`${flag} takes a whole number from ${range.min} to ${range.max}, not "${value}"`);
  }
  return number;
}

/** An http(s) URL; anything else would only fail after retries, so it is refused at once. */
export function checkedEndpoint(label: string, value: string): string {
  const problem = endpointProblem(value);
  if (problem) throw new UsageError(`${label} takes the endpoint's base URL, such as https://host/v1; "${value}" ${problem}`);
  return value;
}
