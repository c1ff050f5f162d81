import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trainingNotebook } from '../support/fixtures/notebookFixture';
import { NotebookEditorView } from './support/notebookEditor';
import { allowUploads, openSearchPanel, setApiKey } from './support/sightlineActions';
import { API_KEY, type SightlineE2e, startSightlineE2e } from './support/sightlineE2e';
import { waitUntil } from './support/waitUntil';

/** The loss plot is the output of the notebook's sixth cell (1-based), index 5 in the editor. */
const LOSS_CELL = 6;

let e2e: SightlineE2e;
let broken: string | undefined;

beforeAll(async () => {
  e2e = await startSightlineE2e({ settings: { 'sightline.autoUpdate': false } });
  const notebook = await trainingNotebook();
  await e2e.workspace.write('analysis/training.ipynb', notebook.json);
  // What the fake model "sees" in the plots; the query shares words only with the cell's prose.
  await e2e.server.describeImage(notebook.lossPlot, 'line chart falling steeply then flattening out');
  await e2e.server.describeImage(notebook.accuracyPlot, 'line chart rising quickly then levelling off');
});
afterAll(async () => {
  await e2e?.stop();
});

describe('a Jupyter notebook in VS Code', () => {
  beforeEach(({ task, onTestFailed, skip }) => {
    // Later steps build on earlier ones; a step's own retry still runs.
    if (broken && broken !== task.name) skip(`an earlier step failed: ${broken}`);
    onTestFailed(async () => {
      broken = task.name;
      await e2e.saveFailure(`notebooks-${task.name.replace(/\W+/g, '-').slice(0, 60)}`);
    });
  });

  it('is counted in the upload consent and indexed with its plots', async () => {
    const { workbench } = e2e;
    await setApiKey(workbench, API_KEY);
    await workbench.clearNotifications();
    await workbench.runCommand('Sightline: Index Workspace');
    const consent = await allowUploads(workbench);
    expect(consent, consent).toContain('4 images, 2 markdown files, 1 PDF and 1 notebook');
    const summary = await workbench.notificationText(/Sightline: Indexing (finished|stopped|cancelled)/, 90_000);
    expect(summary).toMatch(/^Sightline: Indexing finished: \d+ items embedded, 0 reused, 0 files removed\.$/);
    // Three images came from the notebook: two plots and the attached confusion matrix.
    const notebookImages = e2e.server.requests
      .flatMap((r) => r.embedding?.inputs ?? [])
      .filter((i) => i.images.length && i.text.includes('Training a digit classifier'));
    expect(notebookImages).toHaveLength(3);
  });

  it('finds a plot by a text query and opens the notebook at the cell that drew it', async () => {
    const { workbench } = e2e;
    const panel = await openSearchPanel(workbench);
    await panel.search('the loss curve that plateaus');
    // The plot, not the notebook's prose about it, is the best match: it was embedded with that prose.
    const best = panel.ranked(0);
    expect(await panel.location(best)).toBe(`analysis/training.ipynb (cell ${LOSS_CELL})`);
    expect(await best.getAttribute('class')).toMatch(/\bkind-image\b/);
    expect(await panel.thumbnailLoaded(best)).toBe(true);
    await workbench.screenshot('notebook-plot-result');

    await best.click();
    await workbench.activeTab().filter({ hasText: 'training.ipynb' }).waitFor({ timeout: 30_000 });
    const notebook = new NotebookEditorView(workbench);
    await notebook.editor.waitFor({ timeout: 30_000 });
    expect(
      await waitUntil(
        'the plot cell to be the active cell',
        () => notebook.activeCell(),
        (at) => at.cell === LOSS_CELL,
        30_000,
      ),
    ).toEqual({ cell: LOSS_CELL, of: 10 });
    // Scrolled to it: the code that drew the plot is on screen.
    expect(
      await waitUntil(
        'the plot cell to be on screen',
        () => notebook.isTextVisible("plt.title('Training loss')"),
        (visible) => visible,
      ),
    ).toBe(true);
    await workbench.screenshot('notebook-opened-at-cell');
  });
});
