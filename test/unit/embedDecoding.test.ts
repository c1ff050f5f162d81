import { describe, expect, it } from 'vitest';
import { BadResponse, decodeEmbeddingResponse } from '../../src/core/embed/responseDecoder';
import { serverErrorMessage } from '../../src/core/embed/serverErrorMessage';
import { leadingBatchSize } from '../../src/core/embed/textBatches';
import { backoffDelayMs, parseRetryAfterMs } from '../../src/core/embed/retryPolicy';
import { DEFAULT_RETRY } from '../../src/core/embed/clientOptions';

function base64Of(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

describe('decodeEmbeddingResponse', () => {
  it('decodes base64 little-endian float32 and floats to the same normalised vectors, in index order', () => {
    const b64 = JSON.stringify({
      data: [
        { index: 1, embedding: base64Of([0, 2]) },
        { index: 0, embedding: base64Of([3, 4]) },
      ],
    });
    const floats = JSON.stringify({
      data: [
        { index: 0, embedding: [3, 4] },
        { index: 1, embedding: [0, 2] },
      ],
      usage: { prompt_tokens: 7 },
    });
    const a = decodeEmbeddingResponse(b64, 2, undefined);
    const b = decodeEmbeddingResponse(floats, 2, undefined);
    expect(Array.from(a.vectors[0]!)).toEqual([0.6000000238418579, 0.800000011920929]);
    expect(a.vectors.map((v) => Array.from(v))).toEqual(b.vectors.map((v) => Array.from(v)));
    expect(b.promptTokens).toBe(7);
  });

  it('truncates to the wanted dimensions and re-normalises', () => {
    const { vectors } = decodeEmbeddingResponse(JSON.stringify({ data: [{ embedding: [3, 4, 100] }] }), 1, 2);
    expect(Array.from(vectors[0]!)).toEqual([0.6000000238418579, 0.800000011920929]);
  });

  it.each([
    ['not JSON', '{"data": [', 1],
    ['no data', '{}', 1],
    ['wrong count', JSON.stringify({ data: [{ embedding: [1] }] }), 2],
    ['not a vector', JSON.stringify({ data: [{ embedding: { a: 1 } }] }), 1],
    ['NaN', JSON.stringify({ data: [{ embedding: base64Of([NaN, 1]) }] }), 1],
    [
      'repeated index',
      JSON.stringify({
        data: [
          { index: 0, embedding: [1] },
          { index: 0, embedding: [1] },
        ],
      }),
      2,
    ],
    ['short vector', JSON.stringify({ data: [{ embedding: [1, 2] }] }), 1, 4],
    ['an all-zero vector', JSON.stringify({ data: [{ embedding: [0, 0, 0, 0] }] }), 1],
    ['an all-zero base64 vector', JSON.stringify({ data: [{ embedding: base64Of([0, 0, 0]) }] }), 1],
    ['a vector with no direction in the kept dimensions', JSON.stringify({ data: [{ embedding: [0, 0, 5, 1] }] }), 1, 2],
  ])('rejects %s', (_name, body, count, dims?: number) => {
    expect(() => decodeEmbeddingResponse(body, count, dims)).toThrow(BadResponse);
  });
});

describe('serverErrorMessage', () => {
  it('reads every error shape providers send', () => {
    expect(serverErrorMessage('{"error":{"message":"bad input","type":"BadRequestError","code":400}}')).toBe('bad input');
    expect(serverErrorMessage('{"object":"error","message":"old style","code":400}')).toBe('old style');
    expect(serverErrorMessage('{"httpStatus":401,"messages":[{"errorCode":"paas-auth-1","message":"Unauthorized"}]}')).toBe('paas-auth-1: Unauthorized');
    expect(serverErrorMessage('Bad Gateway')).toBe('Bad Gateway');
    expect(serverErrorMessage('')).toBeUndefined();
  });
});

describe('leadingBatchSize', () => {
  it('bounds a batch by count and by characters, from the head of the queue', () => {
    const limits = { maxTexts: 3, maxChars: 60 };
    expect(leadingBatchSize([10, 10, 10, 50, 5, 5, 5], limits)).toBe(3);
    expect(leadingBatchSize([50, 5, 5, 5], limits)).toBe(3);
    expect(leadingBatchSize([50, 20], limits)).toBe(1);
    expect(leadingBatchSize([500], limits)).toBe(1);
    expect(leadingBatchSize([], limits)).toBe(0);
  });
});

describe('retry timing', () => {
  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfterMs('2')).toBe(2000);
    expect(parseRetryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });

  it('grows exponentially with jitter and a ceiling', () => {
    expect(backoffDelayMs(0, DEFAULT_RETRY, () => 0)).toBe(250);
    expect(backoffDelayMs(3, DEFAULT_RETRY, () => 1)).toBe(4000);
    expect(backoffDelayMs(30, DEFAULT_RETRY, () => 1)).toBe(30_000);
  });
});
