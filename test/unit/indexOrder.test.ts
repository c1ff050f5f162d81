import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Indexer } from '../../src/core/index/indexer/indexer';
import type { IndexProgress } from '../../src/core/index/indexer/indexProgress';
import { SearchEngine } from '../../src/core/index/search/searchEngine';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { indexerOptionsFrom, indexIdentityFrom } from '../../src/core/settings/sightlineSettings';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import type { RecordedRequest } from '../support/fakeServer/requestLog';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';
import { reportPdf } from '../support/fixtures/pdfFixtures';
import { indexOnce, testClient, testSettings } from '../support/indexHarness';

/**
 * The order a mixed workspace is embedded in: every text first, in full batches, then the
 * pictures (image files, the images markdown shows, rendered PDF pages), newest first.
 */

let server: FakeEmbeddingServer;
let root: string;
let indexDir: string;
/** Image files by the width they were drawn at (widths tell requests apart), with their mtimes. */
const shots: Array<{ path: string; width: number; mtime: number }> = [];
const DAY = 86_400;

beforeAll(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 128 });
  root = await fs.mkdtemp(path.join(tmpdir(), 'sightline-order-'));
  const write = async (relative: string, content: string | Uint8Array, mtime?: number) => {
    const file = path.join(root, relative);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
    if (mtime !== undefined) await fs.utimes(file, mtime, mtime);
  };
  const now = Math.floor(Date.now() / 1000);
  // Modification times shuffled against the names, so walk order is not newest-first order.
  const ages = [5, 1, 7, 3, 0, 6, 2, 4];
  for (let i = 0; i < ages.length; i++) {
    const width = 200 + i * 16;
    const mtime = now - ages[i]! * DAY;
    const relative = `shots/shot-${i}.png`;
    await write(relative, await renderSyntheticScreenshot(50 + i, { width, height: 120 }), mtime);
    shots.push({ path: relative, width, mtime });
  }
  for (let doc = 0; doc < 6; doc++) {
    // Sections long enough not to be merged with their neighbours (short ones are).
    const body = (what: string) => `${what}. Check the wiring, the fuse and the indicator lamp before going on; write down what you see.`.repeat(3);
    const sections = Array.from(
      { length: 9 },
      (_, s) => `## Step ${s} of procedure ${doc}\n\n${body(`Configure the relay number ${doc * 10 + s} and restart it`)}\n`,
    );
    const figure = doc < 2 ? `\n![The relay panel of procedure ${doc}](../shots/shot-${doc}.png)\n` : '';
    await write(
      `docs/procedure-${doc}.md`,
      `# Procedure ${doc}\n\n${body(`Introduction to procedure ${doc}`)}\n${figure}\n${sections.join('\n')}`,
      now - (10 + doc) * DAY,
    );
  }
  await write('reports/report.pdf', reportPdf(3), now - 20 * DAY);
}, 60_000);
afterAll(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  indexDir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-order-index-'));
  server.resetStats();
  server.setFaultPredicate(undefined);
});
afterEach(async () => {
  await fs.rm(indexDir, { recursive: true, force: true });
});

/** One request at a time at a provider-like pace, so the server sees them in the order the client chose. */
const settings = () => testSettings(server, { requestsPerSecond: 25, burst: 1, concurrency: 1 });

type Sent = { kind: 'texts'; count: number } | { kind: 'shot'; width: number } | { kind: 'figure' } | { kind: 'page' };

function sentOf(request: RecordedRequest): Sent {
  const call = request.embedding!;
  if (call.form === 'input') return { kind: 'texts', count: call.inputs.length };
  const input = call.inputs[0]!;
  if (input.text) return { kind: 'figure' };
  const width = input.images[0]!.width!;
  return shots.some((shot) => shot.width === width) ? { kind: 'shot', width } : { kind: 'page' };
}

describe('Indexer order', () => {
  it('sends the texts first, in full batches, then the pictures, image files newest first', async () => {
    const report = await indexOnce(root, indexDir, settings());
    expect(report.failed).toEqual([]);
    const sent = server.requests.filter((r) => r.path === '/v1/embeddings').map(sentOf);
    const texts = 6 * 10 + 3; // 6 documents of an introduction and 9 steps, 3 PDF pages
    const textRequests = sent.filter((s) => s.kind === 'texts');
    expect(textRequests.map((s) => s.count)).toEqual([32, 31]);
    expect(textRequests.reduce((sum, s) => sum + s.count, 0)).toBe(texts);
    // At most one picture goes ahead of the last texts: the one that took a token while the
    // last document was still being read and its batch waited to fill.
    const lastText = sent.map((s) => s.kind).lastIndexOf('texts');
    expect(sent.slice(0, lastText).filter((s) => s.kind !== 'texts').length).toBeLessThanOrEqual(1);

    // Newest first, give or take the one image the other preparation slot finished sooner.
    const widths = sent.flatMap((s) => (s.kind === 'shot' ? [s.width] : []));
    const newestFirst = [...shots].sort((a, b) => b.mtime - a.mtime).map((shot) => shot.width);
    expect([...widths].sort()).toEqual([...newestFirst].sort());
    const displacement = widths.map((width, at) => Math.abs(at - newestFirst.indexOf(width)));
    expect(Math.max(...displacement), `sent ${widths.join(' ')}; newest first is ${newestFirst.join(' ')}`).toBeLessThanOrEqual(1);
    // Everything else a picture: two figures and three rendered pages, one request each.
    expect(sent.filter((s) => s.kind === 'figure')).toHaveLength(2);
    expect(sent.filter((s) => s.kind === 'page')).toHaveLength(3);
    expect(sent).toHaveLength(2 + 8 + 2 + 3);
    expect(report.requests).toEqual({ images: 8, figures: 2, pdfPages: 3, textBatches: 2, texts: 63 });
  });

  it('reports items by kind and the requests left from the start, ending at what was done', async () => {
    const snapshots: IndexProgress[] = [];
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    const client = testClient(settings());
    try {
      await new Indexer(store, client, indexerOptionsFrom(settings(), [{ key: '', path: root }])).run({ onProgress: (p) => snapshots.push(p) });
    } finally {
      await store.close();
      await client.close();
    }
    const requests = server.stats.embeddingRequests;
    expect(requests).toBe(15);
    const last = snapshots.at(-1)!;
    expect(last.items).toEqual({
      markdown: { done: 60, total: 60 },
      image: { done: 10, total: 10 },
      pdf: { done: 6, total: 6 },
      notebook: { done: 0, total: 0 },
    });
    expect([last.requestsDone, last.requestsLeft, last.fraction, last.estimated]).toEqual([requests, 0, 1, false]);
    // Once nothing is guessed any more, the budget is exact: done plus left is what the run used.
    const exact = snapshots.filter((p) => !p.estimated);
    expect(exact.length).toBeGreaterThan(1);
    for (const p of exact) expect(p.requestsDone + p.requestsLeft).toBe(requests);
    // An ETA from the first report that knows of work, at the pacer's rate until one is measured.
    const first = snapshots.find((p) => p.requestsLeft > 0)!;
    expect(first.etaSeconds).toBeCloseTo(first.requestsLeft / 25, 6);
    const fractions = snapshots.filter((p) => !p.estimated).map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('makes the text searchable, in the same process, while the pictures are still on their way', async () => {
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    const client = testClient(settings());
    const engine = new SearchEngine(store, client);
    let textSearchable: boolean | undefined;
    let picturesCommittedWhileHeld: number | undefined;
    let searchError: unknown;
    let searched: Promise<void> | undefined;
    // The first picture request is held at the server until the test has searched, so the text
    // must be found while that picture is still on its way. (Only the first: pictures share the
    // tokens and the in-flight slots with text, one in five, so holding them all would hold text.)
    server.setFaultPredicate(({ request }) => {
      if (request.form !== 'messages' || searched) return undefined;
      searched = (async () => {
        try {
          // Polls until the text's checkpoint lands (the picture is held, so it must; the test's
          // own timeout is the bound).
          for (;;) {
            const { results } = await engine.search({ text: 'configure the relay number 42' }, { top: 3, groupByFile: false });
            if (results[0]?.path === 'docs/procedure-4.md' && results[0].line !== undefined && store.rowCount >= 63) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          const items = [...store.catalog.allFiles()].flatMap((record) => record.items);
          const sections = items.filter((item) => item.part === 'section' || item.part === 'page-text');
          textSearchable = sections.length === 63 && sections.every((item) => item.row < store.rowCount);
          picturesCommittedWhileHeld = items.filter((item) => item.part !== 'section' && item.part !== 'page-text' && item.row < store.rowCount).length;
        } catch (error) {
          searchError = error;
        }
      })();
      return { kind: 'hold', until: searched };
    });
    try {
      const run = new Indexer(store, client, { ...indexerOptionsFrom(settings(), [{ key: '', path: root }]), checkpointIntervalMs: 100 }).run();
      const report = await run;
      expect(report.failed).toEqual([]);
      expect(searchError).toBeUndefined();
      expect(textSearchable).toBe(true);
      // While the first picture was held the index had fewer pictures than it ends with; by the
      // end the figures are in.
      const pictures = [...store.catalog.allFiles()].flatMap((record) => record.items).filter((item) => item.part !== 'section' && item.part !== 'page-text');
      expect(picturesCommittedWhileHeld).toBeLessThan(pictures.length);
      expect(store.catalog.getFile('', 'docs/procedure-0.md')!.items.some((item) => item.part === 'figure')).toBe(true);
    } finally {
      await store.close();
      await client.close();
    }
  }, 60_000);

  it('finishes a document whose pictures a cancelled run did not reach, embedding only those', async () => {
    const controller = new AbortController();
    server.setFaultPredicate(({ request }) => {
      if (request.form === 'messages') controller.abort();
      return undefined;
    });
    const first = await indexOnce(root, indexDir, settings(), { signal: controller.signal, checkpointEvery: 1 });
    expect(first.cancelled).toBe(true);
    server.setFaultPredicate(undefined);
    const halfway = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    const doc = halfway.catalog.getFile('', 'docs/procedure-0.md')!;
    expect(doc.incomplete).toBe(true);
    expect(doc.items.map((item) => item.part)).toEqual(Array.from({ length: 10 }, () => 'section'));
    await halfway.close();

    server.resetStats();
    const second = await indexOnce(root, indexDir, settings());
    expect(second.failed).toEqual([]);
    const sent = server.requests.filter((r) => r.path === '/v1/embeddings').map(sentOf);
    expect(sent.some((s) => s.kind === 'texts')).toBe(false);
    const done = await IndexStore.open(indexDir, indexIdentityFrom(settings()));
    const finished = done.catalog.getFile('', 'docs/procedure-0.md')!;
    expect(finished.incomplete).toBeUndefined();
    expect(finished.items.filter((item) => item.part === 'figure')).toHaveLength(1);
    await done.close();
    // A third run finds nothing left to do.
    server.resetStats();
    const third = await indexOnce(root, indexDir, settings());
    expect(server.stats.embeddingRequests).toBe(0);
    expect(third.filesUnchanged).toBe(third.filesSeen);
  });
});
