import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDuplicateImages } from '../../src/core/index/search/duplicateImages';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { reencodeImage } from '../support/fakeServer/syntheticImages';
import { indexOnce, testSettings, withSearch } from '../support/indexHarness';
import { createWorkspaceFixture, GUIDE_MD, type WorkspaceFixture } from '../support/workspaceFixture';

let server: FakeEmbeddingServer;
let workspace: WorkspaceFixture;
let indexDir: string;
const settings = () => testSettings(server);

beforeAll(async () => {
  // Semantic vectors with a real model's modality gap: meaning, not shared words, must find things.
  server = await startFakeEmbeddingServer({ dimensions: 512, semantic: { modalityGap: 0.3 } });
  workspace = await createWorkspaceFixture();
  await workspace.write('images/login-copy.png', workspace.loginPng);
  // The fake model "sees" what a screenshot shows only through captions registered here.
  await server.describeImage(await fs.readFile(path.join(workspace.root, 'images/dashboard.png')), 'analytics dashboard with charts and a red banner');
  indexDir = path.join(workspace.root, '.sightline');
  const report = await indexOnce(workspace.root, indexDir, settings());
  expect(report.fatal).toBeUndefined();
});
afterAll(async () => {
  await server.close();
  await workspace.remove();
});

describe('search', () => {
  it('finds the markdown section a query describes in other words, with its line', async () => {
    // No word of the query is in the section: only its meaning leads there.
    const query = 'daemon reboots by itself; where is its log file';
    const { results, mode } = await withSearch(indexDir, settings(), 'test-key', (engine) => engine.search({ text: query }));
    expect(mode).toBe('hybrid');
    const best = results[0]!;
    expect(best.path).toBe('docs/guide.md');
    expect(best.headingPath).toEqual(['Operator Guide', 'Installation', 'Linux']);
    expect(GUIDE_MD.split('\n')[best.line! - 1]).toBe('### Linux');
    // The words alone do not get there.
    const lexical = await withSearch(indexDir, settings(), 'test-key', (engine) => engine.search({ text: query }, { mode: 'lexical' }));
    expect(lexical.results[0]?.headingPath).not.toEqual(['Operator Guide', 'Installation', 'Linux']);
  });

  it('finds a screenshot by what it shows, not by its name', async () => {
    const query = 'graphs and a crimson strip';
    const { results } = await withSearch(indexDir, settings(), 'test-key', (engine) => engine.search({ text: query }));
    expect(results[0]!.path).toBe('images/dashboard.png');
    expect(results[0]!.thumbnailPath).toMatch(/thumbs/);
    const lexical = await withSearch(indexDir, settings(), 'test-key', (engine) => engine.search({ text: query }, { mode: 'lexical' }));
    expect(lexical.results.map((r) => r.path)).not.toContain('images/dashboard.png');
  });

  it('ranks one list across kinds by a relevance in 0..1', async () => {
    const { results } = await withSearch(indexDir, settings(), 'test-key', (engine) => engine.search({ text: 'analytics dashboard charts' }));
    expect(new Set(results.map((r) => r.kind)).size).toBeGreaterThan(1);
    for (const result of results) {
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(1);
    }
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
    // Unrelated items sit near zero even though their raw cosines are well above it.
    const worst = results.at(-1)!;
    expect(worst.similarity!).toBeGreaterThan(0.2);
    expect(worst.score).toBeLessThan(0.2);
  });

  it('finds a resized copy as the most similar image, using the stored vector (no API call)', async () => {
    server.resetStats();
    const { results } = await withSearch(indexDir, settings(), 'test-key', (engine) =>
      engine.search({ similarTo: { root: '', path: 'images/login-screen.png' } }, { filters: { kinds: ['image'] } }),
    );
    expect(server.stats.requests).toBe(0);
    const paths = results.map((r) => r.path);
    expect(paths).not.toContain('images/login-screen.png');
    expect(paths.slice(0, 2).sort()).toEqual(['exports/login-small.jpg', 'images/login-copy.png']);
  });

  it('searches by a pasted image that is not in the index', async () => {
    const pasted = await reencodeImage(workspace.loginPng, { width: 800, height: 500, format: 'webp' });
    const { results } = await withSearch(indexDir, settings(), 'test-key', (engine) =>
      engine.search({ imageBytes: pasted }, { filters: { kinds: ['image'] } }),
    );
    expect(['images/login-screen.png', 'images/login-copy.png', 'exports/login-small.jpg']).toContain(results[0]!.path);
  });

  it('finds exact identifiers through the lexical side', async () => {
    const { results } = await withSearch(indexDir, settings(), 'test-key', (engine) => engine.search({ text: 'parseConfigFile' }));
    expect(results[0]!.path).toBe('docs/guide.md');
    expect(results[0]!.headingPath).toEqual(['Operator Guide', 'Troubleshooting']);
  });

  it('still searches without a key, lexically, and says so', async () => {
    const response = await withSearch(indexDir, settings(), undefined, (engine) => engine.search({ text: 'Datenbank sichern' }));
    expect(response.mode).toBe('lexical');
    expect(response.notice).toMatch(/no API key/);
    expect(response.results[0]!.path).toBe('docs/intl.md');
    const japanese = await withSearch(indexDir, settings(), undefined, (engine) => engine.search({ text: '設定ファイル' }));
    // Both short sections merge into one item; the Japanese text is still found in it.
    expect(japanese.results[0]!.path).toBe('docs/intl.md');
    expect(japanese.results[0]!.snippet).toContain('設定ファイル');
  });

  it('falls back to lexical results when the service fails, with the reason', async () => {
    const response = await withSearch(indexDir, settings(), 'bad-key', (engine) => engine.search({ text: 'parseConfigFile' }));
    expect(response.mode).toBe('lexical');
    expect(response.notice).toMatch(/HTTP 401/);
    expect(response.results[0]!.path).toBe('docs/guide.md');
  });

  it('filters by kind and path, groups per file, and finds PDF pages', async () => {
    const { results } = await withSearch(indexDir, settings(), 'test-key', (engine) =>
      engine.search({ text: 'quarterly throughput report chart' }, { filters: { kinds: ['pdf'] } }),
    );
    expect(results.every((r) => r.kind === 'pdf')).toBe(true);
    expect(results).toHaveLength(1);
    expect(results[0]!.page).toBeGreaterThanOrEqual(1);
    expect(results[0]!.others!.length).toBeGreaterThan(0);
    const docsOnly = await withSearch(indexDir, settings(), 'test-key', (engine) => engine.search({ text: 'login' }, { filters: { pathGlob: 'docs/**' } }));
    expect(docsOnly.results.every((r) => r.path.startsWith('docs/'))).toBe(true);
  });

  it('groups identical and near-identical images', async () => {
    const groups = await withSearch(indexDir, settings(), undefined, async (_engine, store) => findDuplicateImages(store, _engine.index));
    const exact = groups.find((g) => g.kind === 'exact')!;
    expect(exact.files.map((f) => f.path).sort()).toEqual(['images/login-copy.png', 'images/login-screen.png']);
    const near = groups.find((g) => g.kind === 'near')!;
    expect(near.files.map((f) => f.path)).toContain('exports/login-small.jpg');
    expect(groups.flatMap((g) => g.files.map((f) => f.path))).not.toContain('images/settings.png');
  });
});
