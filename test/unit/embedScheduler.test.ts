import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddingClient } from '../../src/core/embed/embeddingClient';
import { EmbeddingError } from '../../src/core/embed/embeddingError';
import { EndpointCapabilities } from '../../src/core/embed/endpointCapabilities';
import type { EmbeddingInput } from '../../src/core/common/embeddingInput';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import type { FakeServerOptions } from '../support/fakeServer/fakeServerOptions';
import type { RecordedRequest } from '../support/fakeServer/requestLog';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';

const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

async function setUp(serverOptions: FakeServerOptions, clientOptions: Partial<ConstructorParameters<typeof EmbeddingClient>[0]>) {
  const server = await startFakeEmbeddingServer({ dimensions: 64, ...serverOptions });
  const client = new EmbeddingClient(
    {
      endpoint: server.baseUrl,
      model: 'Qwen/Qwen3-VL-Embedding-8B',
      apiKey: 'test-key',
      retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5000 },
      ...clientOptions,
    },
    { capabilities: new EndpointCapabilities() },
  );
  open.push(client, server);
  return { server, client };
}

async function images(count: number): Promise<EmbeddingInput[]> {
  const png = await renderSyntheticScreenshot(3, { width: 96, height: 64 });
  return Array.from({ length: count }, (_, i) => ({ images: [{ bytes: png, mimeType: 'image/png' as const }], text: `caption ${i}` }));
}

/** The texts each embeddings request carried, from the body the server received. */
function textsOf(request: RecordedRequest): string[] | undefined {
  const input = (request.body as { input?: string[] } | undefined)?.input;
  return input?.map((text) => /<\|im_start\|>user\n([\s\S]*?)<\|im_end\|>/.exec(text)?.[1] ?? text);
}

function embeddingRequests(server: FakeEmbeddingServer): RecordedRequest[] {
  return server.requests.filter((r) => r.path === '/v1/embeddings');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DocumentScheduler: requests are formed when they may leave', () => {
  it('sends texts submitted one by one while images hold the tokens in full batches', async () => {
    // 20 tokens/s and a burst of 2: the images alone keep every token busy for about a second.
    const { server, client } = await setUp(
      { latencyMs: 10 },
      { pacing: { requestsPerSecond: 20, burst: 2, concurrency: 2 }, batch: { maxTexts: 32, maxWaitMs: 60_000 } },
    );
    const imageWork = (await images(16)).map((input) => client.submitDocument(input));
    const producing = client.expectTexts();
    const textWork: Array<Promise<unknown>> = [];
    for (let i = 0; i < 64; i++) {
      textWork.push(client.submitDocument({ text: `section ${i} of the operator guide` }));
      await sleep(5);
    }
    producing();
    const outcomes = await Promise.all([...imageWork, ...textWork]);
    expect(outcomes.every((o) => o instanceof Float32Array)).toBe(true);

    const textRequests = embeddingRequests(server)
      .map(textsOf)
      .filter((texts) => texts !== undefined);
    expect(textRequests.map((texts) => texts.length)).toEqual([32, 32]);
    expect(textRequests.flat()).toEqual(Array.from({ length: 64 }, (_, i) => `section ${i} of the operator guide`));
    expect(server.stats.embeddingRequests).toBe(16 + 2);
  });

  it('takes every text that arrived while it waited for its token, even with no producer announced', async () => {
    const { server, client } = await setUp({ latencyMs: 10 }, { pacing: { requestsPerSecond: 20, burst: 2, concurrency: 2 } });
    const imageWork = (await images(16)).map((input) => client.submitDocument(input));
    const textWork: Array<Promise<unknown>> = [];
    const started = Date.now();
    for (let i = 0; i < 64; i++) {
      textWork.push(client.submitDocument({ text: `note ${i}` }));
      await sleep(5);
    }
    const elapsedTokens = ((Date.now() - started) / 1000) * 20;
    await Promise.all([...imageWork, ...textWork]);

    const textRequests = embeddingRequests(server)
      .map(textsOf)
      .filter((texts) => texts !== undefined);
    // A batch can leave no more often than a token comes; a timer-flushed queue sent one per flush.
    expect(textRequests.length).toBeLessThanOrEqual(Math.ceil(elapsedTokens) + 2);
    expect(textRequests.length).toBeLessThan(16);
    expect(textRequests.flat()).toHaveLength(64);
  });

  it('retries a failed batch whole: the same texts, in the same order, in one request', async () => {
    const { server, client } = await setUp({}, { pacing: { requestsPerSecond: 1000, burst: 1000, concurrency: 4 } });
    const texts = Array.from({ length: 32 }, (_, i) => `chunk ${i}`);
    for (const fault of [{ kind: 'status', status: 503 }, { kind: 'drop-connection' }, { kind: 'status', status: 429, retryAfter: 0 }] as const) {
      server.resetStats();
      server.injectFaults([fault]);
      const producing = client.expectTexts();
      const first = texts.map((text) => client.submitDocument({ text }));
      producing();
      await server.waitForRequests(1);
      // Texts that arrive while the batch is being retried travel in a request of their own.
      const late = ['late one', 'late two'].map((text) => client.submitDocument({ text }));
      const outcomes = await Promise.all([...first, ...late]);
      expect(outcomes.every((o) => o instanceof Float32Array)).toBe(true);
      const sent = embeddingRequests(server).map(textsOf);
      expect(sent.filter((batch) => batch?.length === 32)).toEqual([texts, texts]);
      expect(sent.filter((batch) => batch?.length !== 32)).toEqual([['late one', 'late two']]);
      expect(server.stats.embeddingRequests).toBe(3);
    }
  });

  it('gives waiting images one token in five while text batches are ready, so neither starves', async () => {
    const { server, client } = await setUp({}, { pacing: { requestsPerSecond: 1000, burst: 1000, concurrency: 1 } });
    const work = [...(await images(3)), ...Array.from({ length: 320 }, (_, i) => ({ text: `text ${i}` }))].map((input) => client.submitDocument(input));
    await Promise.all(work);
    const order = embeddingRequests(server)
      .map((request) => (textsOf(request) ? 'T' : 'I'))
      .join('');
    expect(order).toBe('TTTTITTTTITTI');
  });

  it('sends a partial batch once its producer is done, or after maxWaitMs at the latest', async () => {
    const { server, client } = await setUp({}, { pacing: { requestsPerSecond: 1000, burst: 1000, concurrency: 4 }, batch: { maxWaitMs: 300 } });
    const producing = client.expectTexts();
    const started = Date.now();
    const waited = Promise.all(['a', 'b', 'c'].map((text) => client.submitDocument({ text })));
    await waited;
    const waitedMs = Date.now() - started;
    expect(waitedMs).toBeGreaterThanOrEqual(290);
    expect(embeddingRequests(server).map(textsOf)).toEqual([['a', 'b', 'c']]);

    const next = Promise.all(['d', 'e'].map((text) => client.submitDocument({ text })));
    await sleep(50);
    expect(server.stats.embeddingRequests).toBe(1);
    const released = Date.now();
    producing();
    await next;
    expect(Date.now() - released).toBeLessThan(250);
    expect(embeddingRequests(server).map(textsOf).at(-1)).toEqual(['d', 'e']);
  });

  it('never sends an input whose caller gave up while it waited', async () => {
    const { server, client } = await setUp({ latencyMs: 20 }, { pacing: { requestsPerSecond: 10, burst: 1, concurrency: 1 } });
    const [image] = await images(1);
    const first = client.submitDocument(image!);
    const controller = new AbortController();
    const cancelled = client.submitDocument({ text: 'never mind' }, controller.signal);
    const kept = client.submitDocument({ text: 'still wanted' });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ kind: 'cancelled' });
    expect(await first).toBeInstanceOf(Float32Array);
    expect(await kept).toBeInstanceOf(Float32Array);
    expect(embeddingRequests(server).map(textsOf).filter(Boolean)).toEqual([['still wanted']]);
  });

  it('isolates a rejected text by halving its batch, and the rest still land', async () => {
    const { server, client } = await setUp({}, { pacing: { requestsPerSecond: 1000, burst: 1000, concurrency: 4 } });
    server.setFaultPredicate(({ texts }) =>
      texts.some((t) => t.includes('POISON')) ? { kind: 'status', status: 400, message: 'cannot embed this' } : undefined,
    );
    const outcomes = await Promise.all(['a', 'b', 'POISON', 'c', 'd', 'e'].map((text) => client.submitDocument({ text })));
    expect(outcomes[2]).toBeInstanceOf(EmbeddingError);
    expect(outcomes.filter((o) => o instanceof Float32Array)).toHaveLength(5);
  });
});
