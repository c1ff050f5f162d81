import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSyntheticScreenshot } from '../support/fakeServer/syntheticImages';
import type { RecordedInput } from '../support/fakeServer/requestLog';
import { indexOnce, testSettings } from '../support/indexHarness';
import { copyWorkspace, exportIndex } from '../support/sharedCacheFiles';
import { allowUploads, openSearchPanel, setApiKey, statusBarItemCount } from './support/sightlineActions';
import { API_KEY, type SightlineE2e, startSightlineE2e } from './support/sightlineE2e';
import type { Locator } from './support/playwright';
import { stepsOfOneSession } from './support/stepChain';
import { waitUntil } from './support/waitUntil';

/**
 * A teammate's editor pointed at the team's shared cache (`sightline.sharedCache`, in the
 * Remote settings where machine-scoped settings take effect): the cache was exported from the
 * workspace as CI saw it; the teammate's copy has two files more. Index Workspace takes every
 * vector the cache holds and sends only those two files to the API.
 */

const NOTES_MD = `# Release notes

## Version 3.1

Exports can now be scheduled: pick a day and an hour in the export dialog, and the archive is
written to the shared folder then, with a notification when it is done.
`;

let e2e: SightlineE2e;
let scratch: string;
let cacheFile: string;
let cachedItems = 0;

/** Every input the fake server was sent since its counters were last reset. */
function inputsSent(): RecordedInput[] {
  return e2e.server.requests.flatMap((request) => request.embedding?.inputs ?? []);
}

/** A screenshot of the workbench with `toast` on screen, once its slide-in is over (hovering keeps it from hiding). */
async function screenshotOf(toast: Locator, name: string): Promise<void> {
  await toast.hover();
  await e2e.page.page.waitForTimeout(500);
  await e2e.workbench.screenshot(name);
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-e2e-cache-'));
  cacheFile = path.join(scratch, 'team.slcache');
  e2e = await startSightlineE2e({ settings: { 'sightline.sharedCache': cacheFile, 'sightline.autoUpdate': false } });

  // What CI does on the default branch: index the workspace headless, export the cache.
  const ciCheckout = await copyWorkspace(e2e.workspace.root);
  const ciIndex = path.join(scratch, 'ci-index');
  const settings = testSettings(e2e.server);
  const report = await indexOnce(ciCheckout, ciIndex, settings);
  expect(report.failed).toEqual([]);
  cachedItems = (await exportIndex(ciIndex, settings, cacheFile)).entries;
  expect(cachedItems).toBe(report.itemsEmbedded);
  await fs.rm(ciCheckout, { recursive: true, force: true });

  // The teammate's checkout has moved on by two files.
  await e2e.workspace.write('docs/release-notes.md', NOTES_MD);
  await e2e.workspace.write('images/scheduled-export.png', await renderSyntheticScreenshot(31, { width: 640, height: 480 }));
  e2e.server.resetStats();
});
afterAll(async () => {
  await e2e?.stop();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

describe('a shared cache in VS Code', () => {
  stepsOfOneSession('shared-cache', () => e2e);

  it('Index Workspace reuses every cached vector and sends only the two new files', async () => {
    const { workbench, server } = e2e;
    await setApiKey(workbench, API_KEY);
    await workbench.clearNotifications();
    await workbench.runCommand('Sightline: Index Workspace');
    await allowUploads(workbench);
    const toast = await workbench.findNotification(/Sightline: Indexing (finished|stopped|cancelled)/, 90_000);
    const summary = (await toast.locator('.notification-list-item-message').innerText()).trim();
    expect(summary).toBe(`Sightline: Indexing finished: 2 items embedded, 0 reused, ${cachedItems} reused from the shared cache, 0 files removed.`);
    await screenshotOf(toast, 'shared-cache-summary');

    // Counted at the server: the new note's one section and the new screenshot, nothing of the cached files.
    const inputs = inputsSent();
    expect(inputs).toHaveLength(2);
    expect(server.stats.embeddingRequests).toBe(2);
    const [text] = inputs.filter((input) => input.images.length === 0);
    expect(text!.text).toContain('Exports can now be scheduled');
    const [image] = inputs.flatMap((input) => input.images);
    expect([image!.width, image!.height]).toEqual([640, 480]);

    await waitUntil(
      'the status bar to count every item',
      () => statusBarItemCount(workbench),
      (count) => count === cachedItems + 2,
    );
  });

  it('finds a screenshot whose vector came from the cache, with a thumbnail made on this machine', async () => {
    const panel = await openSearchPanel(e2e.workbench);
    await panel.search('analytics dashboard charts');
    const best = panel.ranked(0);
    // Waited for rather than read once: the list can re-render, and a thumbnail loads after its row.
    await waitUntil(
      'the dashboard screenshot to rank first',
      () => panel.location(best),
      (location) => location === 'images/dashboard.png',
    );
    await waitUntil(
      'its thumbnail to load',
      () => panel.thumbnailLoaded(best),
      (loaded) => loaded,
    );
    await e2e.workbench.runCommand('View: Close All Editors');
  });

  it('refuses a damaged cache before indexing anything, and loses nothing', async () => {
    const { workbench, server } = e2e;
    const bytes = await fs.readFile(cacheFile);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x20;
    await fs.writeFile(cacheFile, bytes);
    server.resetStats();

    await workbench.clearNotifications();
    await workbench.runCommand('Sightline: Index Workspace');
    const refusal = await workbench.findNotification(/Sightline: The shared cache .* is damaged/);
    expect((await refusal.locator('.notification-list-item-message').innerText()).trim()).toBe(
      `Sightline: The shared cache ${cacheFile} is damaged: its checksum does not match its contents. Nothing was indexed.`,
    );
    await screenshotOf(refusal, 'shared-cache-refused');
    expect(server.stats.requests).toBe(0);
    expect(await statusBarItemCount(workbench)).toBe(cachedItems + 2);

    // Going on without it: everything is in the index already, so nothing is embedded again.
    await refusal.locator('.monaco-button', { hasText: 'Index Without It' }).click();
    const summary = await workbench.notificationText(/Sightline: Indexing finished/, 90_000);
    expect(summary).toBe('Sightline: Indexing finished: 0 items embedded, 0 reused, 0 files removed.');
    expect(server.stats.requests).toBe(0);
  });
});
