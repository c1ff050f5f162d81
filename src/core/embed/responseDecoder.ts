import { truncateAndNormalize } from '../common/matryoshka';

/**
 * Turns a `/v1/embeddings` response into vectors in input order. Throws `BadResponse` for
 * anything that does not match the request, so a broken gateway never writes garbage vectors.
 */
export class BadResponse extends Error {
  override name = 'BadResponse';
}

export interface DecodedResponse {
  readonly vectors: Float32Array[];
  readonly promptTokens: number;
}

export function decodeEmbeddingResponse(bodyText: string, expectedCount: number, wantedDimensions: number | undefined): DecodedResponse {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw new BadResponse(`response is not valid JSON (${bodyText.length} bytes)`);
  }
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data)) throw new BadResponse('response has no "data" array');
  if (data.length !== expectedCount) {
    throw new BadResponse(`expected ${expectedCount} embeddings, got ${data.length}`);
  }

  const vectors = new Array<Float32Array>(expectedCount);
  data.forEach((entry: { index?: unknown; embedding?: unknown }, position) => {
    const index = typeof entry.index === 'number' ? entry.index : position;
    if (!Number.isInteger(index) || index < 0 || index >= expectedCount || vectors[index]) {
      throw new BadResponse(`embedding index ${String(entry.index)} is out of range or repeated`);
    }
    vectors[index] = toVector(entry.embedding, wantedDimensions);
  });

  const usage = (body as { usage?: { prompt_tokens?: unknown } }).usage;
  const promptTokens = typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  return { vectors, promptTokens };
}

function toVector(embedding: unknown, wantedDimensions: number | undefined): Float32Array {
  let raw: Float32Array;
  if (typeof embedding === 'string') {
    raw = decodeBase64Float32(embedding);
  } else if (Array.isArray(embedding) && embedding.every((x) => typeof x === 'number')) {
    raw = Float32Array.from(embedding);
  } else {
    throw new BadResponse('embedding is neither a number array nor a base64 string');
  }
  if (raw.length === 0 || raw.some((x) => !Number.isFinite(x))) {
    throw new BadResponse('embedding is empty or holds non-finite values');
  }
  if (wantedDimensions !== undefined && raw.length < wantedDimensions) {
    throw new BadResponse(`embedding has ${raw.length} dimensions, expected ${wantedDimensions}`);
  }
  const kept = wantedDimensions ?? raw.length;
  // A vector with no direction matches nothing (and normalising it divides by zero).
  let squares = 0;
  for (let i = 0; i < kept; i++) squares += raw[i]! * raw[i]!;
  if (!(squares > 0)) throw new BadResponse('embedding has no direction (all zeros)');
  return truncateAndNormalize(raw, kept);
}

/** base64 responses are raw little-endian float32 bytes. */
export function decodeBase64Float32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) throw new BadResponse('base64 embedding is not a whole number of float32s');
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
