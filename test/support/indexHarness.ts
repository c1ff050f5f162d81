import { EmbeddingClient } from '../../src/core/embed/embeddingClient';
import { EndpointCapabilities } from '../../src/core/embed/endpointCapabilities';
import { Indexer } from '../../src/core/index/indexer/indexer';
import type { IndexReport } from '../../src/core/index/indexer/indexReport';
import { SearchEngine } from '../../src/core/index/search/searchEngine';
import { IndexStore } from '../../src/core/index/store/indexStore';
import type { SharedCacheLookup } from '../../src/core/index/sharedCache/sharedCacheTypes';
import { clientOptionsFrom, DEFAULT_SETTINGS, indexerOptionsFrom, indexIdentityFrom, type SightlineSettings } from '../../src/core/settings/sightlineSettings';
import type { FakeEmbeddingServer } from './fakeServer/fakeEmbeddingServer';

/** Settings pointing at the fake server, fast enough for tests. */
export function testSettings(server: FakeEmbeddingServer, overrides: Partial<SightlineSettings> = {}): SightlineSettings {
  return { ...DEFAULT_SETTINGS, endpoint: server.baseUrl, requestsPerSecond: 500, burst: 500, concurrency: 4, ...overrides };
}

/** The product's own client options, with short retries so fault tests stay quick. */
export function testClient(settings: SightlineSettings, apiKey: string | undefined = 'test-key'): EmbeddingClient {
  return new EmbeddingClient(
    { ...clientOptionsFrom(settings, apiKey), retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 10_000 } },
    { capabilities: new EndpointCapabilities() },
  );
}

/** One indexing run in its own store and client, closed afterwards (as a command would). */
export async function indexOnce(
  root: string,
  indexDir: string,
  settings: SightlineSettings,
  options: { apiKey?: string; signal?: AbortSignal; checkpointEvery?: number; sharedCache?: SharedCacheLookup } = {},
): Promise<IndexReport> {
  const store = await IndexStore.open(indexDir, indexIdentityFrom(settings));
  const client = testClient(settings, options.apiKey);
  try {
    const indexer = new Indexer(store, client, {
      ...indexerOptionsFrom(settings, [{ key: '', path: root }]),
      checkpointEvery: options.checkpointEvery,
      ...(options.sharedCache ? { sharedCache: options.sharedCache } : {}),
    });
    return await indexer.run({ signal: options.signal });
  } finally {
    await store.close();
    await client.close();
  }
}

export async function withSearch<T>(
  indexDir: string,
  settings: SightlineSettings,
  apiKey: string | undefined,
  use: (engine: SearchEngine, store: IndexStore) => Promise<T>,
): Promise<T> {
  const store = await IndexStore.open(indexDir, indexIdentityFrom(settings));
  const client = apiKey === undefined ? undefined : testClient(settings, apiKey);
  try {
    return await use(new SearchEngine(store, client), store);
  } finally {
    await client?.close();
    await store.close();
  }
}
