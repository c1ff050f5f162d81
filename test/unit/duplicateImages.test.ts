import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDuplicateImages } from '../../src/core/index/search/duplicateImages';
import { startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';
import { cosineSimilarity } from '../support/fakeServer/vectorMath';
import { indexOnce, testSettings, withSearch } from '../support/indexHarness';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspaceFixture';

const workspaces: WorkspaceFixture[] = [];
afterAll(async () => {
  for (const workspace of workspaces) await workspace.remove();
});

/**
 * Near-duplicates are judged against the index's own distribution of image similarities, so
 * models whose unrelated images sit at very different cosines group the same copies.
 */
describe('near-duplicate images, relative to the index', () => {
  it('groups the same copies whether unrelated images sit at cosine 0.5 or 0.85', async () => {
    const outcomes: Array<{ groups: string[][]; unrelated: number }> = [];
    for (const anisotropy of [0.1, 0.5]) {
      const server = await startFakeEmbeddingServer({ dimensions: 256, semantic: { modalityGap: 0.3, anisotropy, hubSpread: 0.05 } });
      const workspace = await createWorkspaceFixture();
      workspaces.push(workspace);
      for (const seed of [31, 32, 33]) await workspace.write(`images/screen-${seed}.png`, await renderSyntheticScreenshot(seed, { width: 800, height: 500 }));
      try {
        const indexDir = path.join(workspace.root, '.sightline');
        await indexOnce(workspace.root, indexDir, testSettings(server));
        const groups = await withSearch(indexDir, testSettings(server), undefined, async (engine, store) =>
          findDuplicateImages(store, engine.index).map((group) => group.files.map((file) => file.path).sort()),
        );
        const [a, b] = await Promise.all(
          ['images/screen-31.png', 'images/settings.png'].map(async (file) => server.vectorForImage(await readFile(path.join(workspace.root, file)))),
        );
        outcomes.push({ groups, unrelated: cosineSimilarity(a!, b!) });
      } finally {
        await server.close();
      }
    }
    expect(outcomes[1]!.unrelated - outcomes[0]!.unrelated).toBeGreaterThan(0.2);
    expect(outcomes[1]!.unrelated).toBeGreaterThan(0.75);
    for (const { groups } of outcomes) expect(groups).toEqual([['exports/login-small.jpg', 'images/login-screen.png']]);
  }, 60_000);
});
