import { afterEach, describe, expect, it } from 'vitest';
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { decodeEmbeddings, getModels, messagesBody, postEmbeddings } from '../support/fakeServer/fakeServerClient';
import { DEFAULT_MODEL, type FakeServerOptions } from '../support/fakeServer/fakeServerOptions';
import { renderSyntheticScreenshot, toDataUrl } from '../support/fakeServer/syntheticImages';
import { TokenBucket } from '../support/fakeServer/tokenBucket';
import { base64ToFloat32 } from '../support/fakeServer/vectorMath';

const TWO_TEXTS = { model: DEFAULT_MODEL, input: ['first text', 'second text'] };

let server: FakeEmbeddingServer | undefined;

async function start(options?: FakeServerOptions): Promise<FakeEmbeddingServer> {
  server = await startFakeEmbeddingServer(options);
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Settles to 'pending' if the promise has not settled by the time `other` has. */
async function stateAfter(promise: Promise<unknown>, other: Promise<unknown>): Promise<'pending' | 'settled'> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await other;
  return settled ? 'settled' : 'pending';
}

describe('fake server fault injection', () => {
  it('answers queued statuses in order, then recovers', async () => {
    const fake = await start();
    fake.injectFaults([
      { kind: 'status', status: 503, retryAfter: 2 },
      { kind: 'status', status: 500 },
    ]);
    fake.injectFaults({ kind: 'status', status: 429 });
    fake.injectFaults({ kind: 'status', status: 502, message: 'upstream went away' });
    expect(fake.pendingFaults).toBe(4);

    const statuses: number[] = [];
    const retryAfters: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await postEmbeddings(fake, TWO_TEXTS);
      statuses.push(response.status);
      retryAfters.push(response.headers.get('retry-after'));
      if (i === 3) expect(response.json).toEqual({ error: { message: 'upstream went away', type: 'BadGatewayError', param: null, code: 502 } });
    }
    expect(statuses).toEqual([503, 500, 429, 502, 200]);
    expect(retryAfters).toEqual(['2', null, null, null, null]);
    expect(fake.pendingFaults).toBe(0);
    expect(fake.stats.rateLimited).toBe(1);
  });

  it('does not spend queued faults on other endpoints or on refused keys', async () => {
    const fake = await start();
    fake.injectFaults({ kind: 'status', status: 500 });
    expect((await getModels(fake)).status).toBe(200);
    expect((await postEmbeddings(fake, TWO_TEXTS, { apiKey: 'wrong' })).status).toBe(401);
    expect(fake.pendingFaults).toBe(1);
    expect((await postEmbeddings(fake, TWO_TEXTS)).status).toBe(500);
  });

  it('can answer with a raw body, as a gateway error page would', async () => {
    const fake = await start();
    fake.injectFaults({ kind: 'status', status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
    const response = await postEmbeddings(fake, TWO_TEXTS);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text).toBe('<html><body>502 Bad Gateway</body></html>');
  });

  it('sends truncated JSON with a 200', async () => {
    const fake = await start();
    fake.injectFaults({ kind: 'malformed-json' });
    const response = await postEmbeddings(fake, TWO_TEXTS);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.text.startsWith('{"object":"list"')).toBe(true);
    expect(() => JSON.parse(response.text)).toThrow();
  });

  it('sends the wrong number of vectors', async () => {
    const fake = await start();
    fake.injectFaults([
      { kind: 'bad-payload', variant: 'wrong-count' },
      { kind: 'bad-payload', variant: 'wrong-count' },
    ]);
    expect(decodeEmbeddings((await postEmbeddings(fake, TWO_TEXTS)).json)).toHaveLength(1);
    expect(decodeEmbeddings((await postEmbeddings(fake, { model: DEFAULT_MODEL, input: 'one' })).json)).toHaveLength(2);
  });

  it('sends vectors of the wrong size in either encoding', async () => {
    const fake = await start();
    fake.injectFaults([
      { kind: 'bad-payload', variant: 'wrong-dimensions' },
      { kind: 'bad-payload', variant: 'wrong-dimensions' },
    ]);
    const asFloat = decodeEmbeddings((await postEmbeddings(fake, TWO_TEXTS)).json);
    const asBase64 = decodeEmbeddings((await postEmbeddings(fake, { ...TWO_TEXTS, encoding_format: 'base64' })).json);
    expect([...asFloat, ...asBase64].map((vector) => vector.length)).toEqual([2048, 2048, 2048, 2048]);
  });

  it('sends something that is not a vector in either encoding', async () => {
    const fake = await start();
    fake.injectFaults([
      { kind: 'bad-payload', variant: 'not-a-vector' },
      { kind: 'bad-payload', variant: 'not-a-vector' },
    ]);
    const asFloat = (await postEmbeddings(fake, TWO_TEXTS)).json as { data: { embedding: unknown[] }[] };
    expect(asFloat.data).toHaveLength(2);
    expect(asFloat.data[0]!.embedding.every((value) => typeof value === 'number')).toBe(false);
    const asBase64 = (await postEmbeddings(fake, { ...TWO_TEXTS, encoding_format: 'base64' })).json as { data: { embedding: string }[] };
    expect(asBase64.data[0]!.embedding).not.toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
    expect(() => base64ToFloat32(asBase64.data[0]!.embedding)).toThrow();
  });

  it('drops the connection without an answer', async () => {
    const fake = await start();
    fake.injectFaults({ kind: 'drop-connection' });
    await expect(postEmbeddings(fake, TWO_TEXTS)).rejects.toThrow();
    expect(fake.stats.droppedConnections).toBe(1);
    expect((await postEmbeddings(fake, TWO_TEXTS)).status).toBe(200);
  });

  it('hangs until the client gives up', async () => {
    const fake = await start();
    fake.injectFaults({ kind: 'hang' });
    const abort = new AbortController();
    const hanging = postEmbeddings(fake, TWO_TEXTS, { signal: abort.signal });
    hanging.catch(() => undefined);
    await fake.waitForRequests(1);
    // A full round trip on another connection gives the hanging one every chance to answer.
    expect(await stateAfter(hanging, postEmbeddings(fake, TWO_TEXTS))).toBe('pending');
    abort.abort();
    await expect(hanging).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.stats.hungRequests).toBe(1);
  });

  it('closes cleanly while a request hangs, and the client sees the connection end', async () => {
    const fake = await start();
    fake.injectFaults({ kind: 'hang' });
    const hanging = postEmbeddings(fake, TWO_TEXTS);
    hanging.catch(() => undefined);
    await fake.waitForRequests(1);
    await fake.close();
    await expect(hanging).rejects.toThrow();
  });

  it('delays, then answers normally', async () => {
    const fake = await start();
    fake.injectFaults({ kind: 'delay', ms: 60 });
    const started = performance.now();
    const response = await postEmbeddings(fake, TWO_TEXTS);
    // Timers never fire early by more than clock rounding; only a lower bound is safe to assert.
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(response.status).toBe(200);
  });

  it('fails only the requests a predicate picks', async () => {
    const fake = await start();
    fake.setFaultPredicate(({ texts }) =>
      texts.some((text) => text.includes('POISON')) ? { kind: 'status', status: 400, message: 'poisoned input' } : undefined,
    );
    expect((await postEmbeddings(fake, TWO_TEXTS)).status).toBe(200);
    const poisoned = await postEmbeddings(fake, { model: DEFAULT_MODEL, input: ['fine', 'a POISON pill'] });
    expect(poisoned.status).toBe(400);
    expect(poisoned.json).toMatchObject({ error: { message: 'poisoned input', code: 400 } });
    const image = await renderSyntheticScreenshot(5, { width: 64, height: 64 });
    const poisonedMessages = await postEmbeddings(fake, messagesBody({ imageDataUrls: [toDataUrl(image, 'image/png')], text: 'POISON' }));
    expect(poisonedMessages.status).toBe(400);
    fake.setFaultPredicate(undefined);
    expect((await postEmbeddings(fake, { model: DEFAULT_MODEL, input: 'POISON' })).status).toBe(200);
  });

  it('lets a predicate return payload faults too', async () => {
    const fake = await start();
    fake.setFaultPredicate(({ request }) => (request.inputs.length > 1 ? { kind: 'bad-payload', variant: 'wrong-count' } : undefined));
    expect(decodeEmbeddings((await postEmbeddings(fake, TWO_TEXTS)).json)).toHaveLength(1);
    expect(decodeEmbeddings((await postEmbeddings(fake, { model: DEFAULT_MODEL, input: 'one' })).json)).toHaveLength(1);
  });

  it('applies latency to each embeddings request, computed from the request', async () => {
    const seen: number[] = [];
    const fake = await start({
      latencyMs: (request) => {
        const input = (request.body as { input: string[] }).input;
        seen.push(input.length);
        return 30 * input.length;
      },
    });
    const started = performance.now();
    expect((await postEmbeddings(fake, TWO_TEXTS)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(seen).toEqual([2]);
    await getModels(fake);
    expect(seen).toEqual([2]);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const fake = await start({ maxBodyBytes: 1024 });
    const response = await postEmbeddings(fake, { model: DEFAULT_MODEL, input: 'x'.repeat(2000) });
    expect(response.status).toBe(413);
  });
});

describe('fake server rate limit', () => {
  it('answers 429 with Retry-After in the gateway shape once the burst is spent', async () => {
    // A refill of one token per 100 s keeps the outcome independent of how slow the machine is.
    const fake = await start({ rateLimit: { requestsPerSecond: 0.01, burst: 2 } });
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await postEmbeddings(fake, TWO_TEXTS));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 429]);
    const limited = responses[2]!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(90);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(100);
    expect(limited.json).toMatchObject({ httpStatus: 429, messages: [{ errorCode: expect.any(String), message: expect.stringMatching(/Too many requests/) }] });
    expect(fake.stats.rateLimited).toBe(1);
    expect((await getModels(fake)).status).toBe(429);
  });

  it('can leave out Retry-After and answer in the vLLM shape', async () => {
    const fake = await start({ rateLimit: { requestsPerSecond: 0.01, burst: 1 }, retryAfterHeader: false, authErrorShape: 'vllm' });
    expect((await postEmbeddings(fake, TWO_TEXTS)).status).toBe(200);
    const limited = await postEmbeddings(fake, TWO_TEXTS);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.json).toMatchObject({ error: { type: 'RateLimitError', code: 429 } });
  });

  it('refills at the configured rate', async () => {
    let now = 0;
    const fake = await start({ rateLimit: { requestsPerSecond: 5, burst: 2 }, now: () => now });
    const statuses = async (count: number) => {
      const result: number[] = [];
      for (let i = 0; i < count; i++) result.push((await postEmbeddings(fake, TWO_TEXTS)).status);
      return result;
    };
    expect(await statuses(3)).toEqual([200, 200, 429]);
    now += 200;
    expect(await statuses(2)).toEqual([200, 429]);
    now += 10_000;
    expect(await statuses(3)).toEqual([200, 200, 429]);
  });

  it('computes whole-second waits from the deficit', () => {
    let now = 0;
    const bucket = new TokenBucket(0.5, 1, () => now);
    expect(bucket.take()).toEqual({ allowed: true });
    expect(bucket.take()).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now += 1500;
    expect(bucket.take()).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500;
    expect(bucket.take()).toEqual({ allowed: true });
    expect(() => new TokenBucket(0, 1)).toThrow();
  });
});

describe('fake server stats and records', () => {
  it('counts requests, inputs, tokens and statuses, and resets', async () => {
    const fake = await start();
    await getModels(fake);
    await postEmbeddings(fake, TWO_TEXTS);
    await postEmbeddings(fake, { model: 'nope', input: 'x' });
    await postEmbeddings(fake, TWO_TEXTS, { apiKey: 'wrong' });
    expect(fake.stats).toEqual({
      requests: 4,
      embeddingRequests: 3,
      inputs: 2,
      // 'first text' (10 bytes) and 'second text' (11 bytes): 3 tokens each plus an end token.
      promptTokens: 8,
      statusCounts: { 200: 2, 404: 1, 401: 1 },
      rateLimited: 0,
      droppedConnections: 0,
      hungRequests: 0,
    });
    fake.resetStats();
    expect(fake.stats).toMatchObject({ requests: 0, inputs: 0, statusCounts: {} });
    expect(fake.requests).toEqual([]);
  });

  it('records method, path, lower-case headers, parsed body and outcome', async () => {
    const fake = await start();
    const before = Date.now();
    await postEmbeddings(fake, { ...TWO_TEXTS, dimensions: 128, user: 'x', add_special_tokens: true });
    const [record] = fake.requests;
    expect(record).toMatchObject({
      method: 'POST',
      path: '/v1/embeddings',
      headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
      body: { ...TWO_TEXTS, dimensions: 128, user: 'x', add_special_tokens: true },
      status: 200,
      embedding: { model: DEFAULT_MODEL, form: 'input', encodingFormat: 'float', dimensions: 128, extraFields: ['add_special_tokens'] },
    });
    expect(record!.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('keeps only the most recent requests when told to', async () => {
    const fake = await start({ maxRecordedRequests: 2 });
    for (const input of ['one', 'two', 'three']) await postEmbeddings(fake, { model: DEFAULT_MODEL, input });
    expect(fake.requests.map((record) => (record.body as { input: string }).input)).toEqual(['two', 'three']);
    expect(fake.stats.requests).toBe(3);
  });
});
