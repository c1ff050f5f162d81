import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../support/fakeServer/requestLog';
import { indexWorkspace, openSearchPanel, setApiKey, statusBarItemCount } from './support/sightlineActions';
import { API_KEY, type SightlineE2e, startSightlineE2e } from './support/sightlineE2e';
import { waitUntil } from './support/waitUntil';

const NOTES_MD = `# Release notes

## Version 2.4

The exporter now writes compressed archives and keeps the last five of them. Importing an
archive from an older version migrates its settings and reports every setting it could not
carry over, so nothing changes silently between versions.
`;

/** While true, the fake server answers image requests (the messages form) only after a pause. */
let slowImages = false;
const IMAGE_LATENCY_MS = 4_000;

function latency(request: RecordedRequest): number {
  const body = request.body as { messages?: unknown } | undefined;
  return slowImages && body?.messages !== undefined ? IMAGE_LATENCY_MS : 0;
}

let e2e: SightlineE2e;
let indexed = 0;

beforeAll(async () => {
  // autoUpdate off: these tests change files and keys and want only the runs they start.
  e2e = await startSightlineE2e({ server: { latencyMs: latency }, settings: { 'sightline.autoUpdate': false } });
  await setApiKey(e2e.workbench, API_KEY);
  const summary = await indexWorkspace(e2e.workbench, { allowUploads: true });
  indexed = Number(/Indexing finished: (\d+) items embedded/.exec(summary)?.[1] ?? Number.NaN);
  expect(indexed, summary).toBeGreaterThan(0);
});
afterAll(async () => {
  await e2e?.stop();
});

describe('when indexing goes wrong', () => {
  beforeEach(({ task, onTestFailed }) => {
    // A failing test leaves a screenshot and the logs in test-results/e2e (not for known defects).
    if (!task.fails) onTestFailed(() => e2e.saveFailure(`failures-${task.name.replace(/\W+/g, '-').slice(0, 60)}`));
  });

  it('a refused key stops indexing with the endpoint, status and server message, and loses nothing', async () => {
    const { workbench, server, workspace } = e2e;
    const host = new URL(server.baseUrl).host;
    await setApiKey(workbench, 'wrong-key');
    await workspace.write('docs/notes.md', NOTES_MD);

    const stopped = await indexWorkspace(workbench);
    expect(stopped).toMatch(/^Sightline: Indexing stopped\./);
    expect(stopped).toContain(host);
    expect(stopped).toContain('HTTP 401');
    expect(stopped).toContain('wrong or no api key'); // the gateway's own words
    await workbench
      .statusBarItem(/Sightline/)
      .filter({ has: workbench.page.locator('.codicon-error') })
      .waitFor();

    // What was indexed before is still there and still found (by its words, without the key).
    const panel = await openSearchPanel(workbench);
    await panel.search('systemd journal logs restart service');
    expect(await panel.location(panel.ranked(0))).toMatch(/^docs\/guide\.md:\d+$/);
    expect(await panel.notice.innerText()).toContain('HTTP 401');

    // With the right key the next run embeds only the new file: the rest was never lost.
    await setApiKey(workbench, API_KEY);
    const resumed = await indexWorkspace(workbench);
    const embedded = Number(/Indexing finished: (\d+) items embedded/.exec(resumed)?.[1] ?? Number.NaN);
    expect(embedded, resumed).toBe(1); // notes.md is one section
    indexed += embedded;
    await waitUntil(
      'the status bar to count the items',
      () => statusBarItemCount(workbench),
      (count) => count === indexed,
    );
  });

  it('cancelling indexing keeps what finished, and the next run reuses it', async () => {
    const { workbench } = e2e;
    await workbench.runCommand('Sightline: Clear Index');
    await workbench.clickDialogButton('Clear Index');
    await waitUntil(
      'the status bar to show an empty index',
      () => statusBarItemCount(workbench),
      (count) => count === undefined,
    );

    // Text goes first, in quick batches; images wait on the slow server, so the run can be
    // cancelled with the markdown done (the toast counts it) and the images still in flight.
    slowImages = true;
    await workbench.clearNotifications();
    await workbench.runCommand('Sightline: Index Workspace');
    const progress = await workbench.findNotification(/markdown [\d,]+ of/);
    await waitUntil(
      'the markdown to finish',
      // `of ~N` while the total is still a guess.
      async () => /markdown (\d+(?:,\d{3})*) of (\d+(?:,\d{3})*)/.exec(await progress.innerText()),
      (counts) => !!counts && counts[1] === counts[2],
      30_000,
    );
    expect(await progress.innerText()).toMatch(/\d+% · markdown [\d,]+ of [\d,]+, images [\d,]+ of [\d,]+.* · about .* left/);
    expect(await workbench.statusBarItem(/Sightline: indexing \d+%/).count()).toBe(1);
    await workbench.screenshot('indexing-progress');
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const cancelled = await workbench.notificationText(/Sightline: Indexing (finished|stopped|cancelled)/, 30_000);
    slowImages = false;
    const kept = Number(/Indexing cancelled; what finished is kept: (\d+) items embedded/.exec(cancelled)?.[1] ?? Number.NaN);
    expect(kept, cancelled).toBeGreaterThan(0);
    expect(kept).toBeLessThan(indexed);
    await waitUntil(
      'the status bar to count what was kept',
      () => statusBarItemCount(workbench),
      (count) => count === kept,
    );

    // The next run embeds only what had not finished.
    const finished = await indexWorkspace(workbench);
    const embedded = Number(/Indexing finished: (\d+) items embedded/.exec(finished)?.[1] ?? Number.NaN);
    expect(embedded, finished).toBeGreaterThan(0);
    expect(embedded).toBeLessThanOrEqual(indexed - kept);
    await waitUntil(
      'the status bar to count every item',
      () => statusBarItemCount(workbench),
      (count) => count === indexed,
    );
  });
});
