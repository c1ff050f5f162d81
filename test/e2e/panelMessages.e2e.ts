import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowUploads, indexWorkspace, openSearchPanel } from './support/sightlineActions';
import { stepsOfOneSession } from './support/stepChain';
import { API_KEY, type SightlineE2e, startSightlineE2e } from './support/sightlineE2e';
import { SearchPanelView } from './support/searchPanelView';
import { waitUntil } from './support/waitUntil';

/** A note whose fifth line shows an image that is not there: a warning of the index, at that line. */
const BROKEN_NOTE = ['# Release notes', '', 'The new settings page.', '', '![Settings page](../images/settings-v2.png)', '', 'More to come.', ''].join('\n');
const BROKEN_LINE = 5;

let e2e: SightlineE2e;
let panel: SearchPanelView;

beforeAll(async () => {
  e2e = await startSightlineE2e();
  await e2e.workspace.write('docs/release-notes.md', BROKEN_NOTE);
});
afterAll(async () => {
  await e2e?.stop();
});

/**
 * What the panel says must be true now: before the first index it asks for one (not for a
 * key), results come by themselves when indexing finishes, the "no API key" notice goes once a
 * key is set, problems open at their line and stay the index's after a run that changed
 * nothing, duplicates show side by side, and nothing is cut off in a narrow panel.
 */
describe('messages that are true now', () => {
  stepsOfOneSession('messages', () => e2e);

  it('before the first index, the panel and the quick search say to index first, with the button, and no key warning', async () => {
    const { workbench } = e2e;
    panel = await openSearchPanel(workbench);
    await panel.indexState.filter({ hasText: 'Index this workspace first' }).waitFor({ timeout: 15_000 });
    expect(await panel.frame.locator('#index-workspace').isVisible()).toBe(true);
    await panel.query.pressSequentially('analytics dashboard charts', { delay: 10 });
    await workbench.page.waitForTimeout(1_000);
    expect(await panel.notice.isVisible()).toBe(false);
    expect(await panel.results.count()).toBe(0);
    expect(await panel.frame.locator('body').innerText()).not.toMatch(/API key/i);

    await workbench.runCommand('Sightline: Search');
    await workbench.quickInputRows().filter({ hasText: 'Index this workspace first' }).waitFor({ timeout: 15_000 });
    expect(await workbench.quickInputTitle().innerText()).not.toMatch(/API key/i);
    await workbench.closeQuickInput();
  });

  it("indexes from the panel's button, and the query typed before shows its results when indexing finishes", async () => {
    const { workbench } = e2e;
    panel = await SearchPanelView.find(workbench);
    await panel.frame.locator('#index-workspace').click();
    // No key yet: Index Workspace asks for one, then for consent.
    await workbench
      .notification(/needs an API key/)
      .locator('.monaco-button', { hasText: 'Set API Key' })
      .click({ timeout: 15_000 });
    await workbench.answerInputBox(API_KEY);
    await allowUploads(workbench);
    await workbench.notificationText(/Indexing finished/, 90_000);
    panel = await SearchPanelView.find(workbench);
    await panel.status.filter({ hasText: 'for “analytics dashboard charts”' }).waitFor({ timeout: 30_000 });
    expect(await panel.location(panel.ranked(0))).toBe('images/dashboard.png');
    expect(await panel.indexState.isVisible()).toBe(false);
  });

  it('says "no API key" while there is none, and drops it once a key is set, running the query again', async () => {
    const { workbench } = e2e;
    await workbench.clearNotifications();
    await workbench.runCommand('Sightline: Set API Key');
    await workbench.answerInputBox('');
    await workbench.notificationText(/removed the API key/);
    panel = await openSearchPanel(workbench);
    await panel.search('toggles for notifications and privacy');
    await panel.notice.filter({ hasText: 'no API key is set' }).waitFor({ timeout: 15_000 });
    const setKey = panel.frame.locator('#notice-action');
    expect(await setKey.innerText()).toBe('Set API Key');
    await setKey.click();
    await workbench.answerInputBox(API_KEY);
    await panel.notice.waitFor({ state: 'hidden', timeout: 30_000 });
    // Embedded now: the screenshot that shares no word with the query is found by meaning.
    await waitUntil(
      'the query to run again with the key',
      () => panel.location(panel.ranked(0)),
      (where) => where === 'images/settings.png',
      30_000,
    );
  });

  it('opens an index problem at its line, and keeps listing it after a run that changed nothing', async () => {
    const { workbench } = e2e;
    const openProblems = async () => {
      await workbench.runCommand('Sightline: Show Index Problems');
      await workbench
        .quickInputTitle()
        .filter({ hasText: /\d+ errors?, \d+ warnings?/ })
        .waitFor({ timeout: 15_000 });
    };
    await openProblems();
    const row = workbench.quickInputRows().filter({ hasText: `docs/release-notes.md:${BROKEN_LINE}` });
    await row.waitFor();
    expect(await row.locator('.codicon-warning').count()).toBe(1);
    await row.click();
    await workbench.activeTab().filter({ hasText: 'release-notes.md' }).waitFor();
    expect(
      await waitUntil(
        'the cursor to reach the line',
        () => workbench.cursorLine(),
        (line) => line === BROKEN_LINE,
      ),
    ).toBe(BROKEN_LINE);

    const summary = await indexWorkspace(workbench);
    expect(summary).toMatch(/Indexing finished: 0 items embedded/);
    await openProblems();
    await workbench
      .quickInputRows()
      .filter({ hasText: `docs/release-notes.md:${BROKEN_LINE}` })
      .waitFor();
    await workbench.closeQuickInput();
  });

  it('shows near-identical images side by side with their sizes and dates, and deletes only after asking', async () => {
    const { workbench, workspace } = e2e;
    await workbench.runCommand('Sightline: Find Duplicate Images');
    const view = await workbench.webviewWith('#groups');
    const group = view.locator('.group', { hasText: 'Near-identical images' });
    await group.waitFor({ timeout: 30_000 });
    const names = await group.locator('.copy .name').allInnerTexts();
    expect(names.sort()).toEqual(['login-screen.png', 'login-small.jpg']);
    for (const image of await group.locator('.copy img').all())
      expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await group.locator('.copy .facts').first().innerText()).toMatch(/^\d+(\.\d)? (KB|MB) · modified /);
    await workbench.screenshot('duplicates');
    await group.locator('.copy', { hasText: 'login-small.jpg' }).locator('button.delete').click();
    await workbench.dialog().filter({ hasText: 'Move exports/login-small.jpg to the trash?' }).waitFor();
    await workbench.clickDialogButton('Cancel');
    expect(await group.locator('.copy').count()).toBe(2);
    expect(existsSync(path.join(workspace.root, 'exports/login-small.jpg'))).toBe(true);
  });

  it('cuts nothing off in a narrow panel: the Image… button and the filters wrap', async () => {
    const { workbench } = e2e;
    await workbench.runCommand('View: Close All Editors');
    panel = await openSearchPanel(workbench);
    await panel.search('analytics dashboard charts');
    await workbench.page.setViewportSize({ width: 700, height: 800 });
    try {
      await workbench.page.waitForTimeout(500);
      const overflow = await panel.frame.locator('body').evaluate(() => {
        const root = document.documentElement;
        const cut = [...document.querySelectorAll<HTMLElement>('.top *, .result, .title, .snippet')].filter(
          (el) => el.getBoundingClientRect().right > root.clientWidth + 1,
        );
        return { scroll: root.scrollWidth - root.clientWidth, cut: cut.map((el) => el.id || el.className).slice(0, 5), width: root.clientWidth };
      });
      expect(overflow.width).toBeLessThan(420);
      expect(overflow).toMatchObject({ scroll: 0, cut: [] });
      expect(await panel.frame.locator('#pick-image').isVisible()).toBe(true);
      await workbench.screenshot('search-panel-narrow');
    } finally {
      await workbench.page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});
