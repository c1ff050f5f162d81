import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Agent, request, type Dispatcher } from 'undici';
import { redactSecrets, urlWithoutCredentials } from '../../common/redaction';
import { megabytes } from './sharedCacheFile';
import { SharedCacheError } from './sharedCacheError';

export interface FetchCacheOptions {
  /** Sent as `Authorization: Bearer`, only to the URL's own origin and never in the clear to another machine. */
  readonly token?: string;
  /** Where the local copy and what the server said about it (its ETag) are kept. */
  readonly downloadsDir: string;
  /** A larger answer is refused, before or while it downloads. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /** Per wait for headers or for the next piece of the body. */
  readonly timeoutMs?: number;
}

export interface Fetched<T> {
  readonly value: T;
  /** False when the server said the local copy is current (HTTP 304), or could not be reached and the copy was used. */
  readonly downloaded: boolean;
  readonly notes: string[];
}

/** What the local copy's server said last time, kept beside it. */
interface CopyInfo {
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly bytes: number;
  readonly fetchedAt: string;
}

const MAX_REDIRECTS = 5;

/**
 * Brings the local copy of the cache at `url` up to date and opens it with `open`. The copy is
 * asked for conditionally (If-None-Match with the ETag the server gave, If-Modified-Since), so
 * an unchanged cache is not downloaded twice. A new download replaces the copy only once `open`
 * accepted it: a damaged download is refused and the previous copy stays. When the server
 * cannot be reached (or fails with 5xx), the previous copy is used with a note.
 */
export async function fetchSharedCache<T>(url: string, options: FetchCacheOptions, open: (file: string, source: string) => Promise<T>): Promise<Fetched<T>> {
  const source = urlWithoutCredentials(url);
  checkTokenTransport(url, options.token, source);
  await fs.mkdir(options.downloadsDir, { recursive: true });
  const name = createHash('sha256').update(source).digest('hex').slice(0, 24);
  const local = { copy: path.join(options.downloadsDir, `${name}.slcache`), infoFile: path.join(options.downloadsDir, `${name}.json`) };
  const agent = new Agent({ connect: { timeout: options.timeoutMs ?? 30_000 } });
  try {
    try {
      return await fetchOnce(url, source, local, options, agent, open, await readCopyInfo(local.infoFile, local.copy, source));
    } catch (error) {
      if (!(error instanceof LocalCopyDamaged)) throw error;
      // The copy on disk went bad since it was fetched: forget it and fetch the cache whole.
      await Promise.all([fs.rm(local.copy, { force: true }), fs.rm(local.infoFile, { force: true })]);
      return await fetchOnce(url, source, local, options, agent, open, undefined);
    }
  } finally {
    await agent.close();
  }
}

/** The local copy was refused when the server said it is current: it changed on disk. */
class LocalCopyDamaged extends Error {}

async function fetchOnce<T>(
  url: string,
  source: string,
  local: { readonly copy: string; readonly infoFile: string },
  options: FetchCacheOptions,
  agent: Agent,
  open: (file: string, source: string) => Promise<T>,
  info: CopyInfo | undefined,
): Promise<Fetched<T>> {
  const openCopy = async (notes: string[]): Promise<Fetched<T>> => {
    try {
      return { value: await open(local.copy, source), downloaded: false, notes };
    } catch (error) {
      if (error instanceof SharedCacheError && error.kind === 'refused') throw new LocalCopyDamaged(error.message, { cause: error });
      throw error;
    }
  };
  let response: Dispatcher.ResponseData;
  try {
    response = await requestFollowingRedirects(url, conditionalHeaders(info), options, agent, source);
  } catch (error) {
    if (error instanceof SharedCacheError || options.signal?.aborted) throw error;
    const reason = describeError(error, options.token);
    if (info) return openCopy([offlineNote(source, reason, info)]);
    throw new SharedCacheError('unreachable', `the shared cache ${source} could not be fetched: ${reason}`, { cause: error });
  }
  const status = response.statusCode;
  if ((status === 304 || status >= 500) && info) {
    await response.body.dump();
    return openCopy(status === 304 ? [] : [offlineNote(source, `HTTP ${status}`, info)]);
  }
  if (status !== 200) {
    await response.body.dump();
    throw new SharedCacheError(
      status >= 500 ? 'unreachable' : 'refused',
      `the shared cache ${source} could not be fetched: ${statusText(status, options.token)}`,
    );
  }
  const partial = `${local.copy}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const bytes = await download(response, partial, options.maxBytes, source);
    const value = await open(partial, source);
    await fs.rename(partial, local.copy);
    const next: CopyInfo = {
      url: source,
      ...optionalHeader('etag', response.headers.etag),
      ...optionalHeader('lastModified', response.headers['last-modified']),
      bytes,
      fetchedAt: new Date().toISOString(),
    };
    await fs.writeFile(local.infoFile, JSON.stringify(next));
    return { value, downloaded: true, notes: [] };
  } finally {
    await fs.rm(partial, { force: true });
  }
}

/** A bearer token goes over TLS, or to this machine; never in the clear across a network. */
function checkTokenTransport(url: string, token: string | undefined, source: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SharedCacheError('refused', `${source} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new SharedCacheError('refused', `${source} is not an http or https URL`);
  if (token && parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    throw new SharedCacheError('refused', `a token for the shared cache would travel unencrypted to ${parsed.host}: use an https URL`);
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

async function requestFollowingRedirects(
  url: string,
  conditional: Record<string, string>,
  options: FetchCacheOptions,
  agent: Agent,
  source: string,
): Promise<Dispatcher.ResponseData> {
  const origin = new URL(url).origin;
  let target = new URL(url);
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { accept: 'application/octet-stream', ...conditional };
    // Release assets redirect to signed storage URLs: the token stays with the origin it was given for.
    if (options.token && target.origin === origin) headers.authorization = `Bearer ${options.token}`;
    const timeoutMs = options.timeoutMs ?? 60_000;
    const response = await request(target, {
      method: 'GET',
      headers,
      dispatcher: agent,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const location = response.headers.location;
    if (![301, 302, 303, 307, 308].includes(response.statusCode) || typeof location !== 'string') return response;
    await response.body.dump();
    if (hop >= MAX_REDIRECTS) throw new SharedCacheError('unreachable', `the shared cache ${source} redirects more than ${MAX_REDIRECTS} times`);
    const next = new URL(location, target);
    if (target.protocol === 'https:' && next.protocol !== 'https:') {
      throw new SharedCacheError('refused', `the shared cache ${source} redirects from https to ${next.protocol.replace(/:$/, '')}: refused`);
    }
    target = next;
  }
}

/** Streams the body to `file`, refusing it as soon as it is larger than `maxBytes`. */
async function download(response: Dispatcher.ResponseData, file: string, maxBytes: number, source: string): Promise<number> {
  const tooLarge = (size?: string) =>
    new SharedCacheError('refused', `the shared cache ${source} is ${size ? `${size}, over` : 'larger than'} the limit of ${megabytes(maxBytes)}`);
  // Stopping a body part-way makes undici report the abort as an error: expected here.
  response.body.on('error', () => undefined);
  const announced = Number(response.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    response.body.destroy();
    throw tooLarge(megabytes(announced));
  }
  const handle = await fs.open(file, 'wx');
  let bytes = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        response.body.destroy();
        throw tooLarge();
      }
      for (let done = 0; done < chunk.length;) done += (await handle.write(chunk, done)).bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return bytes;
}

async function readCopyInfo(infoFile: string, copy: string, source: string): Promise<CopyInfo | undefined> {
  try {
    const info = JSON.parse(await fs.readFile(infoFile, 'utf8')) as Partial<CopyInfo>;
    const stat = await fs.stat(copy);
    if (info.url !== source || typeof info.bytes !== 'number' || stat.size !== info.bytes || typeof info.fetchedAt !== 'string') return undefined;
    return {
      url: source,
      bytes: info.bytes,
      fetchedAt: info.fetchedAt,
      ...optionalHeader('etag', info.etag),
      ...optionalHeader('lastModified', info.lastModified),
    };
  } catch {
    return undefined;
  }
}

function conditionalHeaders(info: CopyInfo | undefined): Record<string, string> {
  if (!info) return {};
  return { ...(info.etag ? { 'if-none-match': info.etag } : {}), ...(info.lastModified ? { 'if-modified-since': info.lastModified } : {}) };
}

function optionalHeader<K extends string>(name: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value.length > 0 && value.length < 1000 ? ({ [name]: value } as Record<K, string>) : {};
}

function offlineNote(source: string, reason: string, info: CopyInfo): string {
  return `the shared cache ${source} could not be fetched (${reason}); using the copy downloaded at ${info.fetchedAt}`;
}

function statusText(status: number, token: string | undefined): string {
  if (status === 401 || status === 403) return `HTTP ${status}: ${token ? 'the server refused the token' : 'the server wants a token'}`;
  if (status === 404) return 'HTTP 404: there is nothing at that address';
  return `HTTP ${status}`;
}

function describeError(error: unknown, token: string | undefined): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code;
  const message = err.cause?.message ?? err.message ?? String(error);
  return redactSecrets(code && !message.includes(code) ? `${code}: ${message}` : message, [token]);
}
