import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SearchEngine } from '../../../src/core/index/search/searchEngine';
import { IndexStore } from '../../../src/core/index/store/indexStore';
import { indexIdentityFrom, type SightlineSettings } from '../../../src/core/settings/sightlineSettings';
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from '../fakeServer/fakeEmbeddingServer';
import type { SemanticModelOptions } from '../fakeServer/semantic/semanticOptions';
import { indexOnce, testClient, testSettings } from '../indexHarness';
import { createDocsRepo, type DocsRepo } from './docsRepoFixture';
import { evaluateModes, type QueryOutcome, type RankingMode } from './evaluation';

/**
 * The evaluation workspace indexed by the product's own indexer against the semantic fake
 * server, and search engines over that index, one per ranking mode.
 */
export interface EvaluationWorld {
  readonly repo: DocsRepo;
  readonly server: FakeEmbeddingServer;
  readonly settings: SightlineSettings;
  readonly indexDir: string;
  /** Runs every query in every mode. */
  evaluate(): Promise<Map<RankingMode, QueryOutcome[]>>;
  engineFor(mode: RankingMode): SearchEngine;
  close(): Promise<void>;
}

export interface EvaluationWorldOptions {
  readonly semantic?: SemanticModelOptions;
  readonly dimensions?: number;
  /**
   * For engines without a `mode` search option (an older build measured as "before"): turn a
   * side off by replacing the engine's vector matches or lexical index on the instance.
   */
  readonly patchModes?: boolean;
}

export async function startEvaluationWorld(options: EvaluationWorldOptions = {}): Promise<EvaluationWorld> {
  const repo = await createDocsRepo();
  const server = await startFakeEmbeddingServer({ dimensions: options.dimensions ?? 1024, semantic: options.semantic ?? { modalityGap: 0.3 } });
  try {
    await repo.describeTo(server);
    const settings = testSettings(server);
    const indexDir = path.join(repo.root, '.sightline');
    const report = await indexOnce(repo.root, indexDir, settings);
    if (report.fatal) throw new Error(`indexing the evaluation workspace failed: ${JSON.stringify(report.fatal)}`);
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings));
    const client = testClient(settings);
    const engines = new Map<RankingMode, SearchEngine>();
    const engineFor = (mode: RankingMode) => {
      let engine = engines.get(mode);
      if (!engine) {
        engine = new SearchEngine(store, client);
        if (options.patchModes) patchMode(engine, mode);
        engines.set(mode, engine);
      }
      return engine;
    };
    return {
      repo,
      server,
      settings,
      indexDir,
      engineFor,
      evaluate: () => evaluateModes(engineFor, repo),
      close: async () => {
        await client.close();
        await store.close();
        await server.close();
        await repo.remove();
      },
    };
  } catch (error) {
    await server.close();
    await repo.remove();
    throw error;
  }
}

function patchMode(engine: SearchEngine, mode: RankingMode): void {
  const target = engine as unknown as { vectorMatches: () => Map<number, number>; index: object };
  if (mode === 'lexical') target.vectorMatches = () => new Map();
  if (mode === 'vector') Object.defineProperty(target.index, 'lexical', { value: { query: () => [] } });
}

/** Removes a temporary folder the world left (for callers that keep the index for a while). */
export async function removeFolder(folder: string): Promise<void> {
  await fs.rm(folder, { recursive: true, force: true });
}
