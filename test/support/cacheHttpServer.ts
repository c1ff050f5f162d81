import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Serves a shared cache file over HTTP on loopback the way a release-asset or artifact host
 * does: a strong ETag, 304 for a matching If-None-Match, an optional bearer token, redirects
 * to another origin, and faults on demand. Every request is recorded with the status sent.
 */
export interface CacheHttpServer {
  readonly url: string;
  readonly origin: string;
  readonly requests: readonly ServedRequest[];
  /** Replaces what is served (a new ETag is derived from the bytes). */
  serve(bytes: Uint8Array): void;
  /** Answers every request for the cache with a redirect to `location`. */
  redirectTo(location: string | undefined): void;
  /** Sends the body without Content-Length (chunked), as a streaming proxy would. */
  chunked(on: boolean): void;
  /** Every answer is this status, for 5xx and outages. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export interface ServedRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly status: number;
}

export async function startCacheHttpServer(options: { token?: string; path?: string } = {}): Promise<CacheHttpServer> {
  const servedPath = options.path ?? '/releases/download/sightline-cache/docs.slcache';
  let body: Buffer = Buffer.alloc(0);
  let etag = '';
  let redirect: string | undefined;
  let chunked = false;
  let failure: number | undefined;
  const requests: ServedRequest[] = [];
  const sockets = new Set<Socket>();

  const answer = (request: IncomingMessage): { status: number; headers?: Record<string, string>; body?: Buffer } => {
    if (failure) return { status: failure };
    if (options.token && request.headers.authorization !== `Bearer ${options.token}`) return { status: request.headers.authorization ? 403 : 401 };
    if (request.url !== servedPath) return { status: 404 };
    if (redirect) return { status: 302, headers: { location: redirect } };
    if (request.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
    return { status: 200, headers: { etag, 'content-type': 'application/octet-stream', ...(chunked ? {} : { 'content-length': String(body.length) }) }, body };
  };

  const server: Server = createServer((request, response) => {
    const { status, headers = {}, body: sent } = answer(request);
    requests.push({ path: request.url ?? '', headers: { ...request.headers } as Record<string, string | undefined>, status });
    response.writeHead(status, headers);
    if (!sent) return void response.end();
    // In pieces, so a client that stops reading part-way is seen doing so.
    let at = 0;
    const next = () => {
      if (at >= sent.length) return void response.end();
      const piece = sent.subarray(at, (at += 64 * 1024));
      if (response.write(piece)) setImmediate(next);
      else response.once('drain', next);
    };
    next();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${servedPath}`,
    origin,
    get requests() {
      return requests;
    },
    serve(bytes) {
      body = Buffer.from(bytes);
      etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    },
    redirectTo(location) {
      redirect = location;
    },
    chunked(on) {
      chunked = on;
    },
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
