import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { decodeEmbeddings, getModels, messagesBody, postEmbeddings } from '../support/fakeServer/fakeServerClient';
import { DEFAULT_MODEL } from '../support/fakeServer/fakeServerOptions';
import { renderPromptTemplate } from '../support/fakeServer/promptTemplate';
import { reencodeImage, renderSyntheticScreenshot, toDataUrl } from '../support/fakeServer/syntheticImages';
import { vectorForText } from '../support/fakeServer/textVectors';
import { cosineSimilarity, truncateVector } from '../support/fakeServer/vectorMath';

const INSTRUCTION = "Represent the user's input.";

describe('fake embedding server: protocol', () => {
  let server: FakeEmbeddingServer;
  let png: Buffer;

  beforeAll(async () => {
    server = await startFakeEmbeddingServer();
    png = await renderSyntheticScreenshot(1, { width: 320, height: 200 });
  });
  afterAll(() => server.close());

  it('listens on loopback under /v1', () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('lists its models with a trace id', async () => {
    const response = await getModels(server);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(response.json).toMatchObject({
      object: 'list',
      data: [{ id: DEFAULT_MODEL, object: 'model', owned_by: 'sightline-fake', max_model_len: 32768 }],
    });
  });

  it('answers a text batch with one normalised 4096-dim vector per input and usage', async () => {
    const response = await postEmbeddings(server, { model: DEFAULT_MODEL, input: ['a red bicycle', 'quarterly revenue'] });
    expect(response.status).toBe(200);
    const json = response.json as Record<string, unknown>;
    expect(json).toMatchObject({ object: 'list', model: DEFAULT_MODEL, usage: { completion_tokens: 0 } });
    expect(json.id).toMatch(/^embd-/);
    expect(Math.abs((json.created as number) - Date.now() / 1000)).toBeLessThan(600);
    const data = json.data as { object: string; index: number }[];
    expect(data.map((item) => [item.object, item.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ]);
    const vectors = decodeEmbeddings(json);
    expect(vectors.map((vector) => vector.length)).toEqual([4096, 4096]);
    for (const vector of vectors) expect(cosineSimilarity(vector, vector)).toBeCloseTo(1, 5);
    expect(Array.from(vectors[0]!)).toEqual(Array.from(vectorForText('a red bicycle')));
    // 'a red bicycle' = 13 bytes -> 4 tokens, 'quarterly revenue' = 17 bytes -> 5, plus one end token each.
    expect(json.usage).toMatchObject({ prompt_tokens: 11, total_tokens: 11 });
  });

  it('returns the same vector for "float" and "base64"', async () => {
    const body = { model: DEFAULT_MODEL, input: 'settings dialog in dark mode' };
    const asFloat = await postEmbeddings(server, { ...body, encoding_format: 'float' });
    const asBase64 = await postEmbeddings(server, { ...body, encoding_format: 'base64' });
    const floatData = (asFloat.json as { data: { embedding: unknown }[] }).data[0]!.embedding;
    const base64Data = (asBase64.json as { data: { embedding: unknown }[] }).data[0]!.embedding;
    expect(Array.isArray(floatData)).toBe(true);
    expect(typeof base64Data).toBe('string');
    expect((base64Data as string).length).toBe(Math.ceil((4096 * 4) / 3) * 4);
    expect(Array.from(decodeEmbeddings(asBase64.json)[0]!)).toEqual(Array.from(decodeEmbeddings(asFloat.json)[0]!));
  });

  it('embeds a templated input exactly like the plain text, and records which was which', async () => {
    server.resetStats();
    const text = 'architecture diagram of the indexer';
    const response = await postEmbeddings(server, { model: DEFAULT_MODEL, input: [renderPromptTemplate(INSTRUCTION, text), text] });
    const [templated, plain] = decodeEmbeddings(response.json);
    expect(Array.from(templated!)).toEqual(Array.from(plain!));
    const inputs = server.requests[0]!.embedding!.inputs;
    expect(inputs.map((input) => [input.text, input.templated, input.instruction])).toEqual([
      [text, true, INSTRUCTION],
      [text, false, undefined],
    ]);
    // The template costs tokens even though it does not change the vector.
    expect(inputs[0]!.tokens).toBeGreaterThan(inputs[1]!.tokens!);
  });

  it('truncates and re-normalises when asked for fewer dimensions', async () => {
    const response = await postEmbeddings(server, { model: DEFAULT_MODEL, input: 'login page', dimensions: 256 });
    expect(response.status).toBe(200);
    const [vector] = decodeEmbeddings(response.json);
    expect(vector!.length).toBe(256);
    expect(Array.from(vector!)).toEqual(Array.from(truncateVector(vectorForText('login page'), 256)));
  });

  it('refuses more dimensions than the model has', async () => {
    const response = await postEmbeddings(server, { model: DEFAULT_MODEL, input: 'x', dimensions: 8192 });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { type: 'BadRequestError', param: 'dimensions', code: 400 } });
  });

  it('answers an image+text messages request with exactly one vector, recording extras', async () => {
    server.resetStats();
    const response = await postEmbeddings(server, messagesBody({ imageDataUrls: [toDataUrl(png, 'image/png')], text: 'but in dark mode' }));
    expect(response.status).toBe(200);
    expect(decodeEmbeddings(response.json)).toHaveLength(1);
    const call = server.requests[0]!.embedding!;
    expect(call.form).toBe('messages');
    expect(call.extraFields).toEqual(['continue_final_message', 'add_special_tokens']);
    expect(call.inputs[0]).toMatchObject({ kind: 'messages', text: 'but in dark mode', instruction: INSTRUCTION, templated: false });
    expect(call.inputs[0]!.images).toEqual([{ mimeType: 'image/png', byteLength: png.length, width: 320, height: 200 }]);
    // 3 messages x 5 + ceil(30/4) instruction + ceil(16/4) text + (10*7 + 2) image + 1 end.
    expect((response.json as { usage: { prompt_tokens: number } }).usage.prompt_tokens).toBe(15 + 7 + 4 + 72 + 1);
  });

  it('accepts every declared image type whose bytes match', async () => {
    for (const [format, mimeType] of [
      ['jpeg', 'image/jpeg'],
      ['webp', 'image/webp'],
      ['gif', 'image/gif'],
    ] as const) {
      const bytes = await reencodeImage(png, { format });
      const response = await postEmbeddings(server, messagesBody({ imageDataUrls: [toDataUrl(bytes, mimeType)] }));
      expect(response.status, format).toBe(200);
    }
  });

  it('refuses an unknown model with 404', async () => {
    const response = await postEmbeddings(server, { model: 'Qwen/Qwen3-Embedding-0.6B', input: 'x' });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      error: { message: 'The model `Qwen/Qwen3-Embedding-0.6B` does not exist.', type: 'NotFoundError', param: 'model', code: 404 },
    });
  });

  it.each([
    ['both input and messages', { model: DEFAULT_MODEL, input: 'x', messages: [{ role: 'user', content: 'x' }] }, /not both/],
    ['neither input nor messages', { model: DEFAULT_MODEL }, /neither/],
    ['no model', { input: 'x' }, /model/],
    ['an empty input array', { model: DEFAULT_MODEL, input: [] }, /empty/],
    ['token ids', { model: DEFAULT_MODEL, input: [[1, 2, 3]] }, /token-id/],
    ['a non-string input item', { model: DEFAULT_MODEL, input: ['ok', { text: 'x' }] }, /input\[1\]/],
    ['an unknown encoding', { model: DEFAULT_MODEL, input: 'x', encoding_format: 'bytes' }, /encoding_format/],
    ['a fractional dimensions', { model: DEFAULT_MODEL, input: 'x', dimensions: 12.5 }, /integer/],
    ['a tool role', { model: DEFAULT_MODEL, messages: [{ role: 'tool', content: 'x' }] }, /role/],
    ['an audio part', { model: DEFAULT_MODEL, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }, /input_audio/],
    ['an image part without url', { model: DEFAULT_MODEL, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: 'x' }] }] }, /image_url/],
  ])('refuses %s with 400', async (_name, body, message) => {
    const response = await postEmbeddings(server, body);
    expect(response.status).toBe(400);
    const error = (response.json as { error: { message: string; type: string; code: number } }).error;
    expect(error.type).toBe('BadRequestError');
    expect(error.code).toBe(400);
    expect(error.message).toMatch(message);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await postEmbeddings(server, '{"model": ');
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/JSON/);
  });

  it.each([
    ['a remote URL', 'https://example.com/cat.png', /cannot fetch/],
    ['a non-image MIME type', 'data:text/plain;base64,aGVsbG8=', /Unsupported image MIME type/],
    ['a data URL without base64', 'data:image/png,rawbytes', /base64/],
    ['invalid base64', 'data:image/png;base64,@@@@', /not valid base64/],
    ['bytes that are no image', `data:image/png;base64,${Buffer.from('definitely not a png').toString('base64')}`, /could not be decoded/],
  ])('refuses an image given as %s', async (_name, url, message) => {
    const response = await postEmbeddings(server, messagesBody({ imageDataUrls: [url] }));
    expect(response.status).toBe(400);
    const error = (response.json as { error: { message: string; param: string } }).error;
    expect(error.message).toMatch(message);
    expect(error.param).toBe('messages[1].content[0].image_url.url');
  });

  it('refuses an image whose bytes are not the declared type', async () => {
    const jpeg = await reencodeImage(png, { format: 'jpeg' });
    const response = await postEmbeddings(server, messagesBody({ imageDataUrls: [toDataUrl(jpeg, 'image/png')] }));
    expect(response.status).toBe(400);
    expect((response.json as { error: { message: string } }).error.message).toBe(
      'The image at messages[1].content[0].image_url.url is declared as image/png but its bytes are jpeg.',
    );
  });

  it('refuses an input longer than the context with the vLLM message', async () => {
    const response = await postEmbeddings(server, { model: DEFAULT_MODEL, input: ['short', 'x'.repeat(4 * 32768)] });
    expect(response.status).toBe(400);
    expect((response.json as { error: { message: string } }).error.message).toBe(
      "This model's maximum context length is 32768 tokens. However, you requested 32769 tokens in the input for embedding generation. Please reduce the length of the input.",
    );
  });

  it('answers unknown paths and wrong methods like FastAPI', async () => {
    const missing = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer test-key' }, body: '{}' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not Found' });
    const wrongMethod = await fetch(`${server.baseUrl}/embeddings`, { headers: { authorization: 'Bearer test-key' } });
    expect(wrongMethod.status).toBe(405);
  });
});

describe('fake embedding server: authentication', () => {
  it('answers a wrong or missing key in the IONOS gateway shape by default', async () => {
    const server = await startFakeEmbeddingServer({ apiKey: 'right' });
    try {
      for (const apiKey of ['wrong', null]) {
        const response = await postEmbeddings(server, { model: DEFAULT_MODEL, input: 'x' }, { apiKey });
        expect(response.status).toBe(401);
        expect(response.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
        expect(response.json).toEqual({ httpStatus: 401, messages: [{ errorCode: 'paas-auth-1', message: expect.any(String) }] });
      }
      expect((await getModels(server, { apiKey: 'wrong' })).status).toBe(401);
      expect((await postEmbeddings(server, { model: DEFAULT_MODEL, input: 'x' }, { apiKey: 'right' })).status).toBe(200);
      expect(server.stats.statusCounts).toEqual({ 401: 3, 200: 1 });
    } finally {
      await server.close();
    }
  });

  it("answers a wrong key in vLLM's own shape when asked", async () => {
    const server = await startFakeEmbeddingServer({ authErrorShape: 'vllm' });
    try {
      const response = await postEmbeddings(server, { model: DEFAULT_MODEL, input: 'x' }, { apiKey: 'nope' });
      expect(response.status).toBe(401);
      expect(response.json).toEqual({ error: 'Unauthorized' });
    } finally {
      await server.close();
    }
  });

  it('gives each response its own trace id', async () => {
    const server = await startFakeEmbeddingServer();
    try {
      const first = await getModels(server);
      const second = await getModels(server);
      expect(first.headers.get('x-trace-id')).not.toBe(second.headers.get('x-trace-id'));
    } finally {
      await server.close();
    }
  });
});

describe('fake embedding server: configuration', () => {
  it('refuses any dimensions when Matryoshka is off, in the old error shape', async () => {
    const server = await startFakeEmbeddingServer({ matryoshka: false, errorShape: 'old' });
    try {
      const response = await postEmbeddings(server, { model: DEFAULT_MODEL, input: 'x', dimensions: 1024 });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        object: 'error',
        message: `Model "${DEFAULT_MODEL}" does not support matryoshka representation, changing output dimensions will lead to poor results.`,
        type: 'BadRequestError',
        param: 'dimensions',
        code: 400,
      });
      expect((await postEmbeddings(server, { model: DEFAULT_MODEL, input: 'x' })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses base64 when configured without it', async () => {
    const server = await startFakeEmbeddingServer({ base64: false });
    try {
      const response = await postEmbeddings(server, { model: DEFAULT_MODEL, input: 'x', encoding_format: 'base64' });
      expect(response.status).toBe(400);
      expect((response.json as { error: { param: string } }).error.param).toBe('encoding_format');
    } finally {
      await server.close();
    }
  });

  it('serves other models, sizes and context limits', async () => {
    const server = await startFakeEmbeddingServer({ models: ['a', 'b'], dimensions: 512, maxContextTokens: 10 });
    try {
      expect((await getModels(server)).json).toMatchObject({ data: [{ id: 'a', max_model_len: 10 }, { id: 'b' }] });
      const ok = await postEmbeddings(server, { model: 'b', input: 'twelve bytes' });
      expect(decodeEmbeddings(ok.json)[0]!.length).toBe(512);
      const tooLong = await postEmbeddings(server, { model: 'a', input: 'forty bytes of text, which is 11 tokens' });
      expect(tooLong.status).toBe(400);
      expect(tooLong.text).toMatch(/maximum context length is 10 tokens\. However, you requested 11 tokens/);
    } finally {
      await server.close();
    }
  });

  it('runs without authentication when the key is null', async () => {
    const server = await startFakeEmbeddingServer({ apiKey: null });
    try {
      expect((await getModels(server, { apiKey: null })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
