import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';
import { indexOnce, testSettings, withSearch } from '../support/indexHarness';

let server: FakeEmbeddingServer;
let root: string;

beforeAll(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 256, semantic: { modalityGap: 0.3 } });
  root = await fs.mkdtemp(path.join(tmpdir(), 'sightline-tiny-'));
  const shot = await renderSyntheticScreenshot(5, { width: 640, height: 400 });
  await fs.writeFile(path.join(root, 'shot.png'), shot);
  await server.describeImage(shot, 'billing page with a table of invoices');
});
afterAll(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

/** An index too small to have a score distribution still answers (calibration falls back). */
describe('search in a tiny index', () => {
  it('finds the only screenshot of a workspace by what it shows', async () => {
    const indexDir = path.join(root, '.sightline');
    await indexOnce(root, indexDir, testSettings(server));
    const { results } = await withSearch(indexDir, testSettings(server), 'test-key', (engine) => engine.search({ text: 'receipts in a grid' }));
    expect(results.map((r) => r.path)).toEqual(['shot.png']);
    expect(results[0]!.score).toBeGreaterThan(0);
  });
});
