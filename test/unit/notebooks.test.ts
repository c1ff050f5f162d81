import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Indexer } from '../../src/core/index/indexer/indexer';
import type { IndexReport } from '../../src/core/index/indexer/indexReport';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { indexerOptionsFrom, indexIdentityFrom } from '../../src/core/settings/sightlineSettings';
import type { PreparationOptions } from '../../src/core/sources/preparationOptions';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { trainingNotebook, type NotebookFixture } from '../support/fixtures/notebookFixture';
import { testClient, testSettings, withSearch } from '../support/indexHarness';

let server: FakeEmbeddingServer;
let fixture: NotebookFixture;
let root: string;
let indexDir: string;

beforeAll(async () => {
  [server, fixture] = await Promise.all([startFakeEmbeddingServer({ dimensions: 64 }), trainingNotebook()]);
  await server.describeImage(fixture.lossPlot, 'line chart of training loss falling steeply then flat');
});
afterAll(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  if (root) await fs.rm(root, { recursive: true, force: true });
  root = await fs.mkdtemp(path.join(tmpdir(), 'sightline-nb-'));
  indexDir = path.join(root, '.sightline');
  await fs.mkdir(path.join(root, 'analysis'));
  await fs.writeFile(path.join(root, 'analysis/training.ipynb'), fixture.json);
  server.resetStats();
});

async function index(preparation: Partial<PreparationOptions> = {}): Promise<{ report: IndexReport; store: IndexStore }> {
  const settings = testSettings(server);
  const store = await IndexStore.open(indexDir, indexIdentityFrom(settings));
  const client = testClient(settings);
  const options = indexerOptionsFrom(settings, [{ key: '', path: root }]);
  try {
    const report = await new Indexer(store, client, { ...options, preparation: { ...options.preparation, ...preparation } }).run();
    return { report, store };
  } finally {
    await client.close();
  }
}

describe('Jupyter notebooks', () => {
  it('index markdown and code as sections at their cells, and each plot with the prose and code around it', async () => {
    const { report, store } = await index();
    try {
      expect(report.failed).toEqual([]);
      expect(report.warnings).toEqual([]);
      // Counted by the file they come from, plots included.
      expect(report.itemsByKind).toMatchObject({ image: 0, markdown: 0, notebook: report.itemsEmbedded });
      const record = store.catalog.getFile('', 'analysis/training.ipynb')!;
      expect(record.kind).toBe('notebook');
      expect(record.title).toBe('Training a digit classifier');

      const sections = record.items.filter((i) => i.part === 'section');
      expect(sections.every((s) => s.kind === 'notebook' && s.line === undefined)).toBe(true);
      // Split as a markdown file would be: the short Data section runs on into Training.
      const title = 'Training a digit classifier';
      expect(sections.map((s) => [s.cell, s.headingPath])).toEqual([
        [1, [title]],
        [3, [title, 'Data']],
        [7, [title, 'Evaluation']],
      ]);
      expect(sections[1]!.text).toContain('## Training\n\nThirty epochs');
      expect(sections[1]!.text).toContain("```python\nhistory = build_model().fit(digits, epochs=30)\nplt.plot(history['loss'])");
      // Outputs are not text to search: the table's numbers and the printed lines are left out.
      expect(sections.map((s) => s.text).join('\n')).not.toMatch(/5923|final accuracy: 0\.981|Epoch 30\/30/);

      const images = record.items.filter((i) => i.part === 'output');
      expect(images.map((i) => [i.kind, i.cell, i.headingPath?.join(' > ')])).toEqual([
        ['image', 6, 'Training a digit classifier > Training'],
        ['image', 8, 'Training a digit classifier > Evaluation'],
        ['image', 10, 'Training a digit classifier > Evaluation > Confusions'],
      ]);
      const [loss, accuracy, confusion] = images;
      expect(loss!.text).toBe(
        'Training a digit classifier > Training\n\n' +
          '## Training\n\nThirty epochs with Adam. The loss curve plateaus after about epoch 20, so the later epochs\nadd little and early stopping would have saved a third of the time.\n\n' +
          "history = build_model().fit(digits, epochs=30)\nplt.plot(history['loss'])\nplt.title('Training loss')\nplt.xlabel('epoch')\nplt.show()",
      );
      expect(loss!.snippet).toMatch(/^Thirty epochs with Adam\. The loss curve plateaus/);
      expect(accuracy!.text).toContain('levels off near 98 percent');
      expect(confusion!.text).toBe('confusion matrix of the classifier\nTraining a digit classifier > Evaluation > Confusions');
      expect(images.every((i) => i.thumbnail)).toBe(true);

      // What went up: three images (the plots at their own size), each with its caption.
      const uploads = server.requests.flatMap((r) => r.embedding?.inputs ?? []).filter((input) => input.images.length);
      expect(uploads.map((u) => [u.images[0]!.width, u.images[0]!.height])).toEqual(
        expect.arrayContaining([
          [640, 480],
          [640, 480],
          [300, 300],
        ]),
      );
      expect(uploads).toHaveLength(3);
      expect(uploads.find((u) => u.text.includes('plateaus'))!.text).toBe(loss!.text);
    } finally {
      await store.close();
    }
  });

  it('finds the plot by what its cell says, at its cell', async () => {
    await (await index()).store.close();
    const results = await withSearch(indexDir, testSettings(server), 'test-key', (engine) =>
      engine.search({ text: 'the loss curve that plateaus' }, { filters: { kinds: ['image'] } }),
    );
    expect(results.results[0]).toMatchObject({ path: 'analysis/training.ipynb', kind: 'image', part: 'output', cell: 6 });
  });

  it('embeds nothing again for an unchanged notebook, and only the edited cell after an edit', async () => {
    await (await index()).store.close();
    server.resetStats();
    const again = await index();
    await again.store.close();
    expect(server.stats.requests).toBe(0);
    const edited = fixture.json.replace('levels off near 98 percent', 'levels off near 97 percent');
    await fs.writeFile(path.join(root, 'analysis/training.ipynb'), edited);
    server.resetStats();
    const third = await index();
    await third.store.close();
    // The Evaluation section and the accuracy plot (whose caption quotes it) are new; the rest is reused.
    expect(third.report.itemsEmbedded).toBe(2);
    expect(server.stats.inputs).toBe(2);
  });

  it('caps a huge notebook with a reason, and refuses broken and old-format notebooks clearly', async () => {
    await fs.writeFile(path.join(root, 'analysis/broken.ipynb'), fixture.json.slice(0, 500));
    await fs.writeFile(path.join(root, 'analysis/old.ipynb'), JSON.stringify({ nbformat: 3, nbformat_minor: 0, worksheets: [] }));
    const { report, store } = await index({ maxNotebookImages: 1, maxNotebookTextChars: 1200 });
    try {
      expect(report.failed.map((f) => [f.path, f.code, f.message]).sort()).toEqual([
        ['analysis/broken.ipynb', 'corrupt', expect.stringMatching(/^not a notebook: the JSON does not parse/)],
        ['analysis/old.ipynb', 'unsupported', 'nbformat 3 notebooks are not supported (open and save it in Jupyter to upgrade it to nbformat 4)'],
      ]);
      expect(report.warnings.map((w) => [w.path, w.code, w.message])).toEqual([
        [
          'analysis/training.ipynb',
          'too-many-cells',
          expect.stringMatching(/^\d+ cells from cell \d+ on are not indexed: the notebook's text is over the 1,200-character cap$/),
        ],
        ['analysis/training.ipynb', 'too-many-images', expect.stringMatching(/^\d+ images; only the first 1 are indexed \(the image cap per notebook\)$/)],
      ]);
      const record = store.catalog.getFile('', 'analysis/training.ipynb')!;
      expect(record.items.filter((i) => i.part === 'output')).toHaveLength(1);
      expect(record.warnings).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
