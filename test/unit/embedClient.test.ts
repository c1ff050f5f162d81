import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddingClient } from '../../src/core/embed/embeddingClient';
import { EmbeddingError } from '../../src/core/embed/embeddingError';
import { EndpointCapabilities } from '../../src/core/embed/endpointCapabilities';
import { DEFAULT_QUERY_INSTRUCTION, type EmbeddingInput } from '../../src/core/common/embeddingInput';
import { startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import type { FakeServerOptions } from '../support/fakeServer/fakeServerOptions';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';

const MODEL = 'Qwen/Qwen3-VL-Embedding-8B';
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

async function setUp(serverOptions: FakeServerOptions = {}, clientOptions: Partial<ConstructorParameters<typeof EmbeddingClient>[0]> = {}) {
  const server = await startFakeEmbeddingServer(serverOptions);
  const client = new EmbeddingClient(
    {
      endpoint: server.baseUrl,
      model: MODEL,
      apiKey: 'test-key',
      pacing: { requestsPerSecond: 1000, burst: 1000, concurrency: 4 },
      retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5000 },
      ...clientOptions,
    },
    { capabilities: new EndpointCapabilities() },
  );
  open.push(client, server);
  return { server, client };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) sum += a[i]! * b[i]!;
  return sum;
}

function expectClose(a: Float32Array, b: Float32Array, min = 0.9999) {
  expect(a.length).toBe(b.length);
  expect(dot(a, b)).toBeGreaterThan(min);
}

function embedded(outcome: unknown): Float32Array {
  expect(outcome).toBeInstanceOf(Float32Array);
  return outcome as Float32Array;
}

describe('EmbeddingClient against the fake server', () => {
  it('batches text documents through input[] with the official template, in order', async () => {
    const { server, client } = await setUp({}, { batch: { maxTexts: 32 } });
    const texts = Array.from({ length: 70 }, (_, i) => `section number ${i} about topic ${i % 7}`);
    const outcomes = await client.embedDocuments(texts.map((text) => ({ text })));
    expect(server.stats.embeddingRequests).toBe(3);
    outcomes.forEach((outcome, i) => expectClose(embedded(outcome), server.vectorForText(texts[i]!)));
    const call = server.requests[0]!.embedding!;
    expect(call.form).toBe('input');
    expect(call.encodingFormat).toBe('base64');
    expect(call.inputs.every((input) => input.templated)).toBe(true);
    expect(client.usage).toMatchObject({ requests: 3, inputs: 70 });
    expect(client.usage.promptTokens).toBeGreaterThan(0);
  });

  it('sends plain texts when configured, and both forms give the same vectors', async () => {
    const { server, client } = await setUp({}, { shape: { textFormat: 'plain' } });
    const [plain] = await client.embedDocuments([{ text: 'hello world' }]);
    expect(server.requests[0]!.embedding!.inputs[0]!.templated).toBe(false);
    expectClose(embedded(plain), server.vectorForText('hello world'));
  });

  it('sends each image as its own conversation shaped like vLLM’s example', async () => {
    const { server, client } = await setUp();
    const png = await renderSyntheticScreenshot(1, { width: 320, height: 200 });
    const inputs: EmbeddingInput[] = [
      { images: [{ bytes: png, mimeType: 'image/png' }] },
      { images: [{ bytes: png, mimeType: 'image/png' }], text: 'dark mode' },
    ];
    const outcomes = await client.embedDocuments(inputs);
    expect(server.stats.embeddingRequests).toBe(2);
    expectClose(embedded(outcomes[0]), await server.vectorForImage(png));
    expect(dot(embedded(outcomes[0]), embedded(outcomes[1]))).toBeLessThan(0.9999);
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: MODEL, continue_final_message: true, add_special_tokens: true, encoding_format: 'base64' });
    expect((body.messages as Array<{ role: string }>).map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer test-key');
  });

  it('embeds queries one at a time through messages with the retrieval instruction', async () => {
    const { server, client } = await setUp();
    const vector = await client.embedQuery({ text: 'login screen' });
    const call = server.requests[0]!.embedding!;
    expect(call.form).toBe('messages');
    expect(call.inputs[0]!.instruction).toBe(DEFAULT_QUERY_INSTRUCTION);
    expectClose(vector, server.vectorForText('login screen'));
  });

  it('falls back to float responses when base64 is refused, and remembers it', async () => {
    const { server, client } = await setUp({ base64: false });
    const [first] = await client.embedDocuments([{ text: 'alpha beta' }]);
    expectClose(embedded(first), server.vectorForText('alpha beta'));
    expect(server.stats.statusCounts[400]).toBe(1);
    await client.embedDocuments([{ text: 'gamma' }]);
    expect(server.stats.statusCounts[400]).toBe(1);
    expect(server.requests.at(-1)!.embedding!.encodingFormat).toBe('float');
  });

  it('asks for the Matryoshka size where supported', async () => {
    const { server, client } = await setUp({}, { dimensions: 256 });
    const [vector] = await client.embedDocuments([{ text: 'alpha beta' }]);
    expect(embedded(vector).length).toBe(256);
    expect(server.requests[0]!.embedding!.dimensions).toBe(256);
  });

  it('truncates on the client where the server refuses dimensions, once per endpoint', async () => {
    const { server, client } = await setUp({ matryoshka: false }, { dimensions: 256 });
    const [vector] = await client.embedDocuments([{ text: 'alpha beta' }]);
    const full = server.vectorForText('alpha beta');
    const expected = full.slice(0, 256);
    const norm = Math.hypot(...expected);
    expectClose(
      embedded(vector),
      expected.map((x) => x / norm),
    );
    expect(server.stats.statusCounts[400]).toBe(1);
    await client.embedQuery({ text: 'again' });
    expect(server.stats.statusCounts[400]).toBe(1);
  });

  it('retries 429 (honouring Retry-After), 5xx, malformed JSON and dropped connections', async () => {
    const { server, client } = await setUp();
    server.injectFaults([
      { kind: 'status', status: 429, retryAfter: 0 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 500 },
      { kind: 'malformed-json' },
    ]);
    const [a] = await client.embedDocuments([{ text: 'one' }]);
    expectClose(embedded(a), server.vectorForText('one'));
    server.injectFaults([{ kind: 'drop-connection' }, { kind: 'status', status: 429 }]);
    const [b] = await client.embedDocuments([{ text: 'two' }]);
    expectClose(embedded(b), server.vectorForText('two'));
    expect(client.usage.rateLimited).toBe(2);
    expect(client.usage.retries).toBeGreaterThanOrEqual(6);
  });

  it('waits for Retry-After before sending again', async () => {
    const { server, client } = await setUp();
    server.injectFaults([{ kind: 'status', status: 429, retryAfter: 1 }]);
    await client.embedDocuments([{ text: 'one' }]);
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(client.currentRate).toBeLessThan(1000);
  });

  it('retries a request that times out', async () => {
    const { server, client } = await setUp({}, { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10, timeoutMs: 300 } });
    server.injectFaults([{ kind: 'hang' }]);
    const [vector] = await client.embedDocuments([{ text: 'late' }]);
    expectClose(embedded(vector), server.vectorForText('late'));
    expect(server.stats.hungRequests).toBe(1);
  });

  it('gives up after the retry budget with the status, message and trace id', async () => {
    const { server, client } = await setUp();
    server.injectFaults(Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503, message: 'overloaded, try later' })));
    const error = await client.embedDocuments([{ text: 'x' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingError);
    const e = error as EmbeddingError;
    expect(e.kind).toBe('endpoint-down');
    expect(e.isFatal).toBe(true);
    expect(e.status).toBe(503);
    expect(e.message).toContain(server.baseUrl);
    expect(e.message).toContain('HTTP 503');
    expect(e.message).toContain('overloaded, try later');
    expect(e.traceId).toMatch(/\w+/);
    expect(server.stats.embeddingRequests).toBe(4);
  });

  it('stops at once on a refused key, naming the gateway’s error, without retrying', async () => {
    const { server, client } = await setUp({}, { apiKey: 'sk-secret-12345' });
    const error = (await client.embedDocuments([{ text: 'x' }, { text: 'y' }]).catch((e: unknown) => e)) as EmbeddingError;
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toContain('paas-auth-1');
    expect(error.message).not.toContain('sk-secret-12345');
    expect(server.stats.embeddingRequests).toBe(1);
  });

  it('reports an unknown model without retrying', async () => {
    const { server, client } = await setUp({}, { model: 'no/such-model' });
    const error = (await client.embedQuery({ text: 'x' }).catch((e: unknown) => e)) as EmbeddingError;
    expect(error.kind).toBe('model-not-found');
    expect(error.status).toBe(404);
    expect(error.message).toContain('no/such-model');
    expect(server.stats.embeddingRequests).toBe(1);
  });

  it('isolates a bad input in a batch and still embeds the others', async () => {
    const { server, client } = await setUp();
    server.setFaultPredicate(({ texts }) =>
      texts.some((t) => t.includes('POISON')) ? { kind: 'status', status: 400, message: 'cannot embed this' } : undefined,
    );
    const texts = ['a b', 'c d', 'POISON here', 'e f', 'g h'];
    const outcomes = await client.embedDocuments(texts.map((text) => ({ text })));
    expect(outcomes[2]).toBeInstanceOf(EmbeddingError);
    expect((outcomes[2] as EmbeddingError).kind).toBe('bad-input');
    expect((outcomes[2] as EmbeddingError).message).toContain('cannot embed this');
    for (const i of [0, 1, 3, 4]) expectClose(embedded(outcomes[i]), server.vectorForText(texts[i]!));
  });

  it('rejects inputs over the context length as bad input', async () => {
    const { client } = await setUp({ maxContextTokens: 50 });
    const [outcome] = await client.embedDocuments([{ text: 'word '.repeat(400) }]);
    expect((outcome as EmbeddingError).kind).toBe('bad-input');
    expect((outcome as EmbeddingError).message).toMatch(/maximum context length is 50 tokens/);
  });

  it('treats a response with the wrong number of vectors as a broken endpoint', async () => {
    const { client, server } = await setUp();
    server.injectFaults(Array.from({ length: 3 }, () => ({ kind: 'bad-payload' as const, variant: 'wrong-count' as const })));
    const error = (await client.embedDocuments([{ text: 'x' }]).catch((e: unknown) => e)) as EmbeddingError;
    expect(error.kind).toBe('bad-response');
    expect(error.message).toMatch(/expected 1 embeddings/);
  });

  it('treats all-zero vectors as a broken endpoint, never as embeddings', async () => {
    const { client, server } = await setUp();
    server.injectFaults(Array.from({ length: 3 }, () => ({ kind: 'bad-payload' as const, variant: 'zero-vector' as const })));
    const error = (await client.embedDocuments([{ text: 'x' }, { text: 'y' }]).catch((e: unknown) => e)) as EmbeddingError;
    expect(error).toBeInstanceOf(EmbeddingError);
    expect(error.kind).toBe('bad-response');
    expect(error.message).toMatch(/no direction/);
  });

  it('reports a dead endpoint after bounded retries', async () => {
    const { server, client } = await setUp();
    const deadUrl = server.baseUrl;
    await server.close();
    const error = (await client.embedQuery({ text: 'x' }).catch((e: unknown) => e)) as EmbeddingError;
    expect(error.kind).toBe('endpoint-down');
    expect(error.message).toContain(deadUrl);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(client.usage.requests).toBe(4);
  });

  it('cancels promptly, including a request in flight', async () => {
    const { server, client } = await setUp();
    server.injectFaults([{ kind: 'hang' }]);
    const controller = new AbortController();
    const pending = client.embedDocuments([{ text: 'x' }], { signal: controller.signal });
    await server.waitForRequests(1);
    const started = Date.now();
    controller.abort();
    const error = (await pending.catch((e: unknown) => e)) as EmbeddingError;
    expect(error.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops other uploads once one request fails fatally', async () => {
    const { server, client } = await setUp({}, { pacing: { requestsPerSecond: 1000, burst: 1000, concurrency: 1 } });
    const png = await renderSyntheticScreenshot(2, { width: 64, height: 64 });
    server.injectFaults([{ kind: 'status', status: 401 }]);
    const inputs = Array.from({ length: 10 }, () => ({ images: [{ bytes: png, mimeType: 'image/png' as const }] }));
    await expect(client.embedDocuments(inputs)).rejects.toMatchObject({ kind: 'auth' });
    expect(server.stats.embeddingRequests).toBe(1);
  });

  it('lists the served models', async () => {
    const { client } = await setUp({ models: [MODEL, 'other/model'] });
    expect(await client.listModels()).toEqual([MODEL, 'other/model']);
  });
});
