import { randomBytes } from 'node:crypto';
import type { EncodingFormat } from './requestParsing';
import { float32ToBase64 } from './vectorMath';

/** Success bodies in vLLM's OpenAI-compatible shapes, and the ways a payload fault bends them. */

export interface EmbeddingData {
  readonly object: 'embedding';
  readonly index: number;
  readonly embedding: unknown;
}

export interface EmbeddingResponseBody {
  readonly object: 'list';
  readonly id: string;
  readonly created: number;
  readonly model: string;
  data: EmbeddingData[];
  readonly usage: { readonly prompt_tokens: number; readonly total_tokens: number; readonly completion_tokens: number };
}

export function embeddingResponseBody(
  model: string,
  vectors: readonly Float32Array[],
  encodingFormat: EncodingFormat,
  promptTokens: number,
): EmbeddingResponseBody {
  return {
    object: 'list',
    id: `embd-${randomBytes(16).toString('hex')}`,
    created: Math.floor(Date.now() / 1000),
    model,
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      // Array.from keeps each float32 exactly, so both encodings decode to identical vectors.
      embedding: encodingFormat === 'base64' ? float32ToBase64(vector) : Array.from(vector),
    })),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens, completion_tokens: 0 },
  };
}

export function modelsResponseBody(models: readonly string[], created: number, maxModelLen: number): unknown {
  return {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created, owned_by: 'sightline-fake', root: id, parent: null, max_model_len: maxModelLen })),
  };
}

export type PayloadFaultVariant = 'wrong-count' | 'wrong-dimensions' | 'not-a-vector' | 'zero-vector';

export function breakPayload(body: EmbeddingResponseBody, variant: PayloadFaultVariant, encodingFormat: EncodingFormat): EmbeddingResponseBody {
  switch (variant) {
    case 'wrong-count':
      // One vector too few, or one too many when there is a single input, so a client that
      // only checks "non-empty" still notices.
      return {
        ...body,
        data:
          body.data.length > 1
            ? body.data.slice(0, -1)
            : [...body.data, { object: 'embedding', index: body.data.length, embedding: body.data[0]?.embedding ?? [] }],
      };
    case 'wrong-dimensions':
      return { ...body, data: body.data.map((item) => ({ ...item, embedding: halve(item.embedding, encodingFormat) })) };
    case 'zero-vector':
      // The right shape and size, but no direction: what a broken model replica returns.
      return { ...body, data: body.data.map((item) => ({ ...item, embedding: zeros(item.embedding, encodingFormat) })) };
    case 'not-a-vector':
      return {
        ...body,
        data: body.data.map((item) => ({ ...item, embedding: encodingFormat === 'base64' ? '!!not*base64!' : ['not', 'a', 'vector', null] })),
      };
  }
}

function zeros(embedding: unknown, encodingFormat: EncodingFormat): unknown {
  if (encodingFormat === 'float' && Array.isArray(embedding)) return embedding.map(() => 0);
  if (typeof embedding === 'string') return Buffer.alloc(Buffer.from(embedding, 'base64').length).toString('base64');
  return embedding;
}

function halve(embedding: unknown, encodingFormat: EncodingFormat): unknown {
  if (encodingFormat === 'float' && Array.isArray(embedding)) return embedding.slice(0, Math.max(1, Math.floor(embedding.length / 2)));
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    return bytes.subarray(0, Math.max(4, Math.floor(bytes.length / 8) * 4)).toString('base64');
  }
  return embedding;
}

/** A JSON document cut off halfway, as a broken proxy or a crashed worker leaves it. */
export function truncatedJson(body: unknown): string {
  const text = JSON.stringify(body);
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
