import * as esbuild from 'esbuild';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Indexer } from '../../src/core/index/indexer/indexer';
import type { IndexReport } from '../../src/core/index/indexer/indexReport';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { indexerOptionsFrom, indexIdentityFrom } from '../../src/core/settings/sightlineSettings';
import type { PreparedImage } from '../../src/core/sources/image/imageTypes';
import { prepareImage } from '../../src/core/sources/image/prepareImage';
import { openPdf } from '../../src/core/sources/pdf/openPdf';
import type { PdfDocumentSource, PdfPage } from '../../src/core/sources/pdf/pdfTypes';
import { SourceError } from '../../src/core/sources/sourceError';
import type { WorkerInbound } from '../../src/core/sources/worker/preparationMessages';
import { PreparationWorkerPool } from '../../src/core/sources/worker/preparationWorkerPool';
import { servePreparation } from '../../src/core/sources/worker/servePreparation';
import { inProcessPreparer, type SourcePreparer } from '../../src/core/sources/worker/sourcePreparer';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { photoLikeJpeg, screenshotPng } from '../support/fixtures/imageFixtures';
import { reportPdf, reportTitle } from '../support/fixtures/pdfFixtures';
import { testClient, testSettings } from '../support/indexHarness';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspaceFixture';

/**
 * The preparation worker as the extension runs it: the worker entry bundled the way esbuild.mjs
 * bundles dist/preparationWorker.js, started by PreparationWorkerPool in a real worker thread.
 */

const REPO = path.resolve(import.meta.dirname, '..', '..');
const WORKER_ENTRY = 'src/core/sources/worker/preparationWorker.ts';
/** An image path the crashing worker below treats as a request to die. */
const CRASH_PATH = '/crash-the-preparation-worker.png';

let dir: string;
let workerScript: string;
let crashingScript: string;
const pools: PreparationWorkerPool[] = [];

/** Bundles like esbuild.mjs; sharp and PDFium resolve to the repo's node_modules from the temp folder. */
async function bundleWorker(entry: { file: string } | { contents: string }, outfile: string): Promise<string> {
  const requireFromRepo = createRequire(path.join(REPO, 'package.json'));
  await esbuild.build({
    ...('file' in entry ? { entryPoints: [path.join(REPO, entry.file)] } : { stdin: { contents: entry.contents, resolveDir: REPO, loader: 'ts' } }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'repo-externals',
        setup(build) {
          build.onResolve({ filter: /^(sharp|@hyzyla\/pdfium)$/ }, (args) => ({ path: requireFromRepo.resolve(args.path), external: true }));
        },
      },
    ],
  });
  return outfile;
}

function pool(options: ConstructorParameters<typeof PreparationWorkerPool>[0] = {}): PreparationWorkerPool {
  const created = new PreparationWorkerPool({ workerScript, ...options });
  pools.push(created);
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function readAll(pdf: PdfDocumentSource, signal?: AbortSignal): Promise<PdfPage[]> {
  const pages: PdfPage[] = [];
  for await (const page of pdf.pages(signal)) pages.push(page);
  return pages;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-worker-'));
  workerScript = await bundleWorker({ file: WORKER_ENTRY }, path.join(dir, 'preparationWorker.js'));
  // The real worker, except that it exits (as a crash would) when asked for CRASH_PATH.
  crashingScript = await bundleWorker(
    {
      contents: `
        import { parentPort } from 'node:worker_threads';
        import { servePreparation } from './src/core/sources/worker/servePreparation';
        const port = parentPort!;
        servePreparation({
          on: (event, listener) => port.on(event, (message) => (message.path === ${JSON.stringify(CRASH_PATH)} ? process.exit(7) : listener(message))),
          postMessage: (value, transfer) => port.postMessage(value, transfer),
          close: () => port.close(),
        });
      `,
    },
    path.join(dir, 'crashingWorker.js'),
  );
}, 60_000);

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('PreparationWorkerPool images', () => {
  it('prepares an image exactly as in-process, and hands back Buffers', async () => {
    const file = path.join(dir, 'screen.png');
    await fs.writeFile(file, await screenshotPng(1600, 1000));
    const jpeg = await photoLikeJpeg(900, 600);
    const workers = pool();

    const [local, remote] = await Promise.all([prepareImage({ path: file }), workers.prepareImage({ path: file })]);
    expect(remote).toEqual(local);
    expect(Buffer.isBuffer(remote.embeddable.bytes) && Buffer.isBuffer(remote.thumbnail.bytes)).toBe(true);
    expect(Buffer.compare(remote.embeddable.bytes, local.embeddable.bytes)).toBe(0);
    expect([remote.encoding, remote.width, remote.height]).toEqual([local.encoding, local.width, local.height]);

    const options = { pixelBudget: 200_000, thumbnailSize: 128 };
    const [localJpeg, remoteJpeg] = await Promise.all([prepareImage({ bytes: jpeg }, options), workers.prepareImage({ bytes: jpeg }, options)]);
    expect(remoteJpeg).toEqual(localJpeg);
    expect(remoteJpeg.embeddable.mimeType).toBe('image/jpeg');
  });

  it('moves the output bytes to the main thread: they are in the transfer list, not cloned', async () => {
    const posted: Array<{ value: unknown; transfer?: readonly ArrayBuffer[] }> = [];
    let deliver: (message: WorkerInbound) => void = () => undefined;
    servePreparation({
      on: (_event, listener) => (deliver = listener),
      postMessage: (value, transfer) => posted.push({ value, transfer }),
      close: () => undefined,
    });
    deliver({ id: 1, kind: 'image', bytes: await screenshotPng(800, 500) });
    await expect.poll(() => posted.length).toBe(2);
    const [ready, answer] = posted as [{ value: unknown }, { value: { value: PreparedImage }; transfer: ArrayBuffer[] }];
    expect(ready.value).toEqual({ kind: 'ready' });
    const { embeddable, thumbnail } = answer.value.value;
    expect(answer.transfer).toEqual([embeddable.bytes.buffer, thumbnail.bytes.buffer]);
    expect(answer.transfer[0]).toBe(embeddable.bytes.buffer);
    expect(answer.transfer[1]).toBe(thumbnail.bytes.buffer);
    // Whole ArrayBuffers of their own: moving one never takes other data along.
    expect(embeddable.bytes.byteLength).toBe(embeddable.bytes.buffer.byteLength);
    expect(thumbnail.bytes.byteLength).toBe(thumbnail.bytes.buffer.byteLength);
  });

  it('rejects a corrupt PNG with the same SourceError, code, message and path, as in-process', async () => {
    const png = await screenshotPng(640, 480);
    const file = path.join(dir, 'broken.png');
    await fs.writeFile(file, png.subarray(0, Math.floor(png.length / 2)));
    const local = (await rejection(prepareImage({ path: file }))) as SourceError;
    const remote = await rejection(pool().prepareImage({ path: file }));
    expect(remote).toBeInstanceOf(SourceError);
    expect(remote).toMatchObject({ name: 'SourceError', code: 'corrupt', path: file, message: local.message });
    const missing = await rejection(pool().prepareImage({ path: path.join(dir, 'missing.png') }));
    expect(missing).toMatchObject({ code: 'unreadable', path: path.join(dir, 'missing.png') });
  });

  it('spreads concurrent requests over at most the configured number of threads', async () => {
    const file = path.join(dir, 'small.png');
    await fs.writeFile(file, await screenshotPng(400, 300));
    const workers = pool({ workers: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => workers.prepareImage({ path: file })));
    const first = results[0] as PreparedImage;
    for (const result of results) expect(Buffer.compare(result.embeddable.bytes, first.embeddable.bytes)).toBe(0);
    expect((workers as unknown as { connections: Set<unknown> }).connections.size).toBe(2);
  });
});

describe('PreparationWorkerPool PDFs', () => {
  it('streams pages in order, equal to in-process rendering, and reports the page cap', async () => {
    const file = path.join(dir, 'report.pdf');
    await fs.writeFile(file, reportPdf(4));
    const local = await openPdf({ path: file }, { maxPages: 3 });
    const localPages = await readAll(local);
    await local.close();

    const remote = await pool().openPdf({ path: file }, { maxPages: 3 });
    expect([remote.pageCount, remote.pagesToRead, remote.truncated]).toEqual([4, 3, true]);
    const remotePages = await readAll(remote);
    expect(remotePages.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
    expect(remotePages).toEqual(localPages);
    expect(remote.pageErrors).toEqual([]);
    // A second pass starts again from the first page, as openPdf's does.
    expect((await readAll(remote)).map((p) => p.pageNumber)).toEqual([1, 2, 3]);
    await remote.close();
    await remote.close();
  });

  it('reads every page’s text without rendering, equal to in-process, and pages still render after it', async () => {
    const file = path.join(dir, 'texts.pdf');
    await fs.writeFile(file, reportPdf(4));
    const local = await openPdf({ path: file }, { maxPages: 3 });
    const localTexts = await local.pageTexts();
    await local.close();

    const remote = await pool().openPdf({ path: file }, { maxPages: 3 });
    const texts = await remote.pageTexts();
    expect(texts).toEqual(localTexts);
    expect(texts.map((t) => [t.pageNumber, t.text.split('\n')[0], t.hasText])).toEqual([1, 2, 3].map((n) => [n, reportTitle(n), true]));
    expect((await readAll(remote)).map((p) => p.text)).toEqual(texts.map((t) => t.text));
    await remote.close();
    expect(await remote.pageTexts()).toEqual([]);
  });

  it('renders a page only when asked for it, and frees the document on close', async () => {
    const file = path.join(dir, 'long.pdf');
    await fs.writeFile(file, reportPdf(6));
    const workers = pool({ workers: 1 });
    const pdf = await workers.openPdf({ path: file });
    const pages = pdf.pages()[Symbol.asyncIterator]();
    expect((await pages.next()).value?.pageNumber).toBe(1);
    expect((await pages.next()).value?.pageNumber).toBe(2);
    await pdf.close();
    expect((await pages.next()).done).toBe(true);
    // The thread is free again: nothing open, nothing unanswered.
    expect((workers as unknown as { connections: Set<{ load: number }> }).connections.values().next().value?.load).toBe(0);
  });

  it('rejects a file that is not a PDF with SourceError corrupt', async () => {
    const file = path.join(dir, 'fake.pdf');
    await fs.writeFile(file, 'not a pdf at all');
    expect(await rejection(pool().openPdf({ path: file }))).toMatchObject({ name: 'SourceError', code: 'corrupt', path: file });
  });
});

describe('PreparationWorkerPool abort, crashes and close', () => {
  it('gives up on a request when its signal aborts, and keeps working', async () => {
    const big = await photoLikeJpeg(4000, 3000);
    const workers = pool({ workers: 1 });
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const pending = workers.prepareImage({ bytes: big }, undefined, controller.signal);
    controller.abort(reason);
    expect(await rejection(pending)).toBe(reason);
    expect(await rejection(workers.prepareImage({ bytes: big }, undefined, controller.signal))).toBe(reason);
    const small = await workers.prepareImage({ bytes: await photoLikeJpeg(200, 100) });
    expect(small.originalWidth).toBe(200);
  });

  it('sends a thread only as many requests as it works on at once; the rest wait, and can be aborted there', async () => {
    const workers = pool({ workers: 1, requestsPerWorker: 1 });
    const bytes = await photoLikeJpeg(1200, 800);
    const controller = new AbortController();
    const results = [
      workers.prepareImage({ bytes }),
      workers.prepareImage({ bytes }, undefined, controller.signal),
      workers.prepareImage({ bytes: await photoLikeJpeg(300, 200) }),
    ];
    const connection = (workers as unknown as { connections: Set<{ load: number; unanswered: number }> }).connections.values().next().value!;
    expect([connection.unanswered, connection.load]).toEqual([1, 3]);
    controller.abort(new Error('not needed'));
    expect(connection.load).toBe(2);
    expect((await rejection(results[1]!)) as Error).toMatchObject({ message: 'not needed' });
    expect((await results[0]!).originalWidth).toBe(1200);
    expect((await results[2]!).originalWidth).toBe(300);
    expect(connection.load).toBe(0);
  });

  it('stops streaming PDF pages when the signal aborts; the document still closes', async () => {
    const file = path.join(dir, 'abort.pdf');
    await fs.writeFile(file, reportPdf(5));
    const workers = pool({ workers: 1 });
    const pdf = await workers.openPdf({ path: file });
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await rejection(
      (async () => {
        for await (const page of pdf.pages(controller.signal)) {
          seen.push(page.pageNumber);
          if (page.pageNumber === 2) controller.abort(new Error('stop'));
        }
      })(),
    );
    expect((error as Error).message).toBe('stop');
    expect(seen).toEqual([1, 2]);
    await pdf.close();
    expect((await workers.prepareImage({ bytes: await photoLikeJpeg(120, 80) })).width).toBeGreaterThan(0);
  });

  it('fails what was in flight when the thread dies, as a problem with that file, and starts a new thread', async () => {
    const workers = pool({ workers: 1, workerScript: crashingScript });
    const file = path.join(dir, 'crash.pdf');
    await fs.writeFile(file, reportPdf(3));
    const pdf = await workers.openPdf({ path: file });

    const crash = await rejection(workers.prepareImage({ path: CRASH_PATH }));
    expect(crash).toBeInstanceOf(SourceError);
    expect(crash).toMatchObject({ code: 'unreadable', path: CRASH_PATH });
    expect((crash as Error).message).toMatch(/preparation worker stopped unexpectedly \(exit code 7\)/);

    // The PDF was open in the thread that died: its pages fail the same way, and close is a no-op.
    expect(await rejection(readAll(pdf))).toMatchObject({ code: 'unreadable', path: file });
    await pdf.close();

    const next = await workers.prepareImage({ bytes: await photoLikeJpeg(300, 200) });
    expect(next.originalWidth).toBe(300);
    expect((await readAll(await workers.openPdf({ path: file }))).map((p) => p.pageNumber)).toEqual([1, 2, 3]);
  });

  it('says so, not as a file problem, when the worker bundle cannot start', async () => {
    const workers = pool({ workerScript: path.join(dir, 'no-such-worker.js') });
    const error = await rejection(workers.prepareImage({ bytes: await photoLikeJpeg(100, 100) }));
    expect(error).not.toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/preparation worker did not start.*no-such-worker\.js/);
  });

  it('fails requests in flight on close, and refuses new ones', async () => {
    const workers = pool({ workers: 1 });
    const pending = rejection(workers.prepareImage({ bytes: await photoLikeJpeg(3000, 2000) }));
    await workers.close();
    expect(await pending).toMatchObject({ message: 'The preparation worker pool is closed' });
    expect(await rejection(workers.prepareImage({ bytes: await photoLikeJpeg(100, 100) }))).toMatchObject({
      message: 'The preparation worker pool is closed',
    });
  });

  it('lets an idle thread go and starts another when work comes back', async () => {
    const workers = pool({ workers: 1, idleTimeoutMs: 50 });
    const bytes = await photoLikeJpeg(160, 120);
    await workers.prepareImage({ bytes });
    const connections = (workers as unknown as { connections: Set<unknown> }).connections;
    await expect.poll(() => connections.size, { timeout: 5000 }).toBe(0);
    expect((await workers.prepareImage({ bytes })).originalWidth).toBe(160);
  });
});

describe('Indexer with the worker pool', () => {
  let server: FakeEmbeddingServer;
  let workspace: WorkspaceFixture;

  beforeAll(async () => {
    server = await startFakeEmbeddingServer({ dimensions: 256 });
    workspace = await createWorkspaceFixture();
  });
  afterAll(async () => {
    await server.close();
    await workspace.remove();
  });

  async function indexWith(preparer: SourcePreparer | undefined, indexDir: string) {
    const settings = testSettings(server);
    server.resetStats();
    const store = await IndexStore.open(indexDir, indexIdentityFrom(settings));
    const client = testClient(settings);
    let report: IndexReport;
    try {
      const options = indexerOptionsFrom(settings, [{ key: '', path: workspace.root }]);
      report = await new Indexer(store, client, preparer ? { ...options, preparer } : options).run();
    } finally {
      await client.close();
    }
    // Rows depend on the order items finished in; the content of each item does not.
    const files = [...store.catalog.allFiles()]
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((file) => ({
        ...file,
        items: file.items
          .map(({ row, ...item }) => ({ ...item, vector: Array.from(store.vectorAt(row)) }))
          .sort((a, b) => a.embedKey.localeCompare(b.embedKey)),
      }));
    const sent = server.requests
      .flatMap((r) => r.embedding?.inputs ?? [])
      .map((input) => JSON.stringify({ text: input.text, images: input.images }))
      .sort();
    await store.close();
    return { report, files, sent };
  }

  it('indexes the fixture workspace to the same items, vectors and thumbnails as in-process', async () => {
    const local = await indexWith(undefined, path.join(dir, 'index-local'));
    const remote = await indexWith(pool(), path.join(dir, 'index-worker'));
    expect(local.report.failed).toEqual([]);
    expect(remote.report.failed).toEqual([]);
    expect(remote.report.itemsEmbedded).toBe(local.report.itemsEmbedded);
    expect(remote.report.itemsByKind).toEqual(local.report.itemsByKind);
    expect(remote.files.map((f) => f.path)).toEqual([
      'docs/guide.md',
      'docs/intl.md',
      'exports/login-small.jpg',
      'images/dashboard.png',
      'images/login-screen.png',
      'images/settings.png',
      'reports/quarterly.pdf',
    ]);
    expect(remote.files).toEqual(local.files);
    expect(remote.sent).toEqual(local.sent);
    expect(
      remote.files
        .flatMap((f) => f.items)
        .filter((i) => i.part !== 'section' && i.part !== 'page-text')
        .every((i) => i.thumbnail),
    ).toBe(true);
  });

  it('defaults to in-process preparation', () => {
    expect(inProcessPreparer.prepareImage).toBeTypeOf('function');
    expect(new Indexer({} as IndexStore, {} as never, { roots: [] })['options'].preparer).toBe(inProcessPreparer);
  });
});
