import type { FakeEmbeddingServer } from './fakeEmbeddingServer';
import { DEFAULT_API_KEY, DEFAULT_MODEL } from './fakeServerOptions';
import { base64ToFloat32 } from './vectorMath';

/** A bare client for tests that talk to the fake server directly rather than through Sightline's own client. */

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body; undefined when it is not JSON. */
  readonly json: unknown;
}

export interface RequestOptions {
  /** null sends no Authorization header. Default: the server's key. */
  readonly apiKey?: string | null;
  readonly signal?: AbortSignal;
}

export async function postEmbeddings(server: FakeEmbeddingServer, body: unknown, options: RequestOptions = {}): Promise<RawResponse> {
  return send(server, 'POST', '/embeddings', typeof body === 'string' ? body : JSON.stringify(body), options);
}

export async function getModels(server: FakeEmbeddingServer, options: RequestOptions = {}): Promise<RawResponse> {
  return send(server, 'GET', '/models', undefined, options);
}

async function send(server: FakeEmbeddingServer, method: string, path: string, body: string | undefined, options: RequestOptions): Promise<RawResponse> {
  const apiKey = options.apiKey === undefined ? (server.options.apiKey ?? DEFAULT_API_KEY) : options.apiKey;
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The vectors of a 200 embeddings response, whichever encoding it used. */
export function decodeEmbeddings(json: unknown): Float32Array[] {
  const data = (json as { data: { embedding: number[] | string }[] }).data;
  return data.map((item) => (typeof item.embedding === 'string' ? base64ToFloat32(item.embedding) : Float32Array.from(item.embedding)));
}

/** A messages request in the shape of vLLM's Qwen3-VL embedding example. */
export function messagesBody(
  parts: { readonly imageDataUrls?: readonly string[]; readonly text?: string; readonly instruction?: string },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const content: unknown[] = (parts.imageDataUrls ?? []).map((url) => ({ type: 'image_url', image_url: { url } }));
  if (parts.text !== undefined) content.push({ type: 'text', text: parts.text });
  return {
    model: DEFAULT_MODEL,
    messages: [
      { role: 'system', content: [{ type: 'text', text: parts.instruction ?? "Represent the user's input." }] },
      { role: 'user', content },
      { role: 'assistant', content: '' },
    ],
    continue_final_message: true,
    add_special_tokens: true,
    ...extra,
  };
}
