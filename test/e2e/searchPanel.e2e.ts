import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reencodeImage } from '../support/fakeServer/syntheticImages';
import { GUIDE_MD } from '../support/workspaceFixture';
import { openSearchPanel, setApiKey, statusBarItemCount } from './support/sightlineActions';
import { stepsOfOneSession } from './support/stepChain';
import { API_KEY, type SightlineE2e, startSightlineE2e } from './support/sightlineE2e';
import { SearchPanelView } from './support/searchPanelView';
import { waitUntil } from './support/waitUntil';

/** The line of the fixture guide's "### Linux" heading, where its section starts (1-based). */
const LINUX_LINE = GUIDE_MD.split('\n').indexOf('### Linux') + 1;

/** Appended to the guide in the editor: long enough to stay a section of its own. */
const BACKUPS_SECTION = `## Backups

Snapshots of the database go to the glacier vault every night at two. To restore one, pick the
snapshot by its date, stop the service, run the vault tool's restore command, and start the
service again. Snapshots older than ninety days are pruned automatically.
`;

let e2e: SightlineE2e;
let panel: SearchPanelView;
let itemsIndexed = 0;

beforeAll(async () => {
  e2e = await startSightlineE2e();
});
afterAll(async () => {
  await e2e?.stop();
});

/**
 * A person's first session with Sightline, in order: key, index, search by text and by image,
 * open a result, themes, Find Similar, and the index following an edit.
 */
describe('Sightline in VS Code', () => {
  stepsOfOneSession('search', () => e2e);

  it('stores the API key from the password box, indexes after consent, and counts the items in the status bar', async () => {
    const { workbench, server } = e2e;
    expect(await statusBarItemCount(workbench)).toBeUndefined();
    await setApiKey(workbench, API_KEY);

    await workbench.clearNotifications();
    await workbench.runCommand('Sightline: Index Workspace');
    const dialog = workbench.dialog();
    await dialog.waitFor({ timeout: 30_000 });
    const consent = await dialog.innerText();
    // Where files go, and what: 4 images (node_modules and .gitignore'd build/ are left out).
    expect(consent, consent).toContain(`Send workspace files to ${new URL(server.baseUrl).host}?`);
    expect(consent, consent).toContain('4 images, 2 markdown files and 1 PDF');
    expect(server.stats.requests).toBe(0); // nothing was sent before the answer
    await workbench.clickDialogButton('Allow and Index');

    const summary = await workbench.notificationText(/Sightline: Indexing (finished|stopped|cancelled)/, 90_000);
    const embedded = /Indexing finished: (\d+) items embedded, 0 reused, 0 files removed\.$/.exec(summary);
    expect(embedded, summary).not.toBeNull();
    itemsIndexed = Number(embedded![1]);
    expect(itemsIndexed).toBeGreaterThanOrEqual(10);
    await waitUntil(
      'the status bar to count the items',
      () => statusBarItemCount(workbench),
      (count) => count === itemsIndexed,
    );
    expect(server.requests.every((request) => request.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
  });

  it('finds the markdown section a query describes', async () => {
    panel = await openSearchPanel(e2e.workbench);
    await panel.search('systemd journal logs restart service');
    const best = panel.ranked(0);
    expect(await panel.location(best)).toBe(`docs/guide.md:${LINUX_LINE}`);
    expect(await best.innerText()).toContain('Operator Guide › Installation › Linux');
    // Text rows come in rank order among themselves.
    expect(await panel.location(panel.rows.first())).toBe(`docs/guide.md:${LINUX_LINE}`);
  });

  it("shows one ranked list in the engine's order, whatever the kind", async () => {
    // The weaker results too: they continue the same order.
    await panel.frame.locator('.weaker-toggle').click();
    const ranks = (
      await panel.frame.locator('#results .result:not(.sub-row)').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.result))
    ).map(Number);
    expect(ranks.length).toBeGreaterThan(1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks[0]).toBe(0);
  });

  it('names a PDF page once, in its title: "quarterly.pdf - page N"', async () => {
    const pdf = panel.rows.filter({ has: panel.frame.locator('.title', { hasText: '.pdf' }) }).first();
    expect(await pdf.locator('.title').innerText({ timeout: 5_000 })).toMatch(/^quarterly\.pdf - page \d+$/);
    expect(await pdf.locator('.where').count()).toBe(0);
  });

  it('opens a markdown result beside the panel, at its section, and the panel stays in view', async () => {
    const { workbench } = e2e;
    await panel.ranked(0).click();
    await workbench.activeTab().filter({ hasText: 'guide.md' }).waitFor();
    expect(
      await waitUntil(
        'the cursor to move to the section',
        () => workbench.cursorLine(),
        (line) => line === LINUX_LINE,
      ),
    ).toBe(LINUX_LINE);
    expect(await workbench.page.locator('.editor-group-container').count()).toBe(2);
    expect(await panel.query.isVisible()).toBe(true);
  });

  it('finds a screenshot by what it shows, with its thumbnail', async () => {
    panel = await openSearchPanel(e2e.workbench);
    await panel.search('analytics dashboard charts');
    const best = panel.ranked(0);
    expect(await panel.location(best)).toBe('images/dashboard.png');
    expect(await panel.location(panel.results.first())).toBe('images/dashboard.png');
    expect(await panel.thumbnailLoaded(best)).toBe(true);
  });

  it('follows the light and dark themes (screenshots in test-results/e2e)', async () => {
    const { workbench } = e2e;
    const light = await panel.backgroundColor();
    await workbench.screenshot('themes-light');
    await workbench.selectColorTheme('Dark Modern', 'vs-dark');
    await panel.frame.locator('body.vscode-dark').waitFor();
    const dark = await waitUntil(
      'the panel to turn dark',
      () => panel.backgroundColor(),
      (colour) => colour !== light,
    );
    expect(dark).not.toBe(light);
    await workbench.screenshot('themes-dark');
    await workbench.selectColorTheme('Light Modern', 'vs');
  });

  it("shows an image's resized copy first for Find Similar Images from the explorer's context menu", async () => {
    const { workbench, server } = e2e;
    server.resetStats();
    const row = await workbench.revealInExplorer('images/login-screen.png');
    await workbench.contextMenu(row, 'Find Similar Images');
    panel = await SearchPanelView.find(workbench);
    await panel.status.filter({ hasText: 'Similar to login-screen.png' }).waitFor({ timeout: 30_000 });
    expect(await panel.location(panel.ranked(0))).toBe('exports/login-small.jpg');
    expect(await panel.thumbnailLoaded(panel.ranked(0))).toBe(true);
    expect(await panel.frame.locator('#results [data-result]:not(.kind-image)').count()).toBe(0);
    expect(server.stats.requests).toBe(0); // the stored vector is the query: no API call
  });

  // The image also appears as a figure in docs/guide.md, pointing at images/login-screen.png:
  // that is the query image too, not a similar one.
  it('does not offer the image itself as similar to itself', async () => {
    const captions = await panel.results.locator('.caption, .title').allInnerTexts();
    expect(captions.length).toBeGreaterThan(0);
    expect(captions).not.toContain('login-screen.png');
  });

  it('moves through the image grid with the arrow keys, Home and End; D reveals in the explorer, Enter opens beside', async () => {
    const { workbench } = e2e;
    await panel.frame
      .locator('.weaker-toggle')
      .click()
      .catch(() => undefined);
    const tiles = panel.tiles;
    const count = await tiles.count();
    expect(count).toBeGreaterThanOrEqual(2);
    const focused = () => panel.frame.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.result ?? '');
    await panel.ranked(0).focus();
    await workbench.page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('1');
    await workbench.page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('0');
    await workbench.page.keyboard.press('End');
    expect(await focused()).toBe(String((await panel.results.count()) - 1));
    await workbench.page.keyboard.press('Home');
    expect(await focused()).toBe('0');
    // Up from the first row goes back to the search box.
    await workbench.page.keyboard.press('ArrowUp');
    expect(await panel.query.evaluate((input) => input === document.activeElement)).toBe(true);

    await panel.ranked(0).focus();
    await workbench.page.keyboard.press('d');
    await workbench.page.locator('.explorer-folders-view .monaco-list-row.selected[aria-label="login-small.jpg"]').waitFor({ timeout: 15_000 });
    await panel.ranked(0).focus();
    await workbench.page.keyboard.press('Enter');
    await workbench.activeTab().filter({ hasText: 'login-small.jpg' }).waitFor({ timeout: 15_000 });
    // Beside the panel: two groups, the panel still on screen.
    expect(await workbench.page.locator('.editor-group-container').count()).toBe(2);
    panel = await SearchPanelView.find(workbench);
    expect(await panel.query.isVisible()).toBe(true);
  });

  it('searches by an image dropped on the panel', async () => {
    const { workspace } = e2e;
    // A recompressed, resized copy: not byte-identical to anything indexed, so it is embedded.
    const dropped = await reencodeImage(await readFile(path.join(workspace.root, 'images/dashboard.png')), { width: 900, height: 560, format: 'png' });
    await panel.frame.locator('body').evaluate(
      (body, { base64, name }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, { type: 'image/png' }));
        body.ownerDocument.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      { base64: dropped.toString('base64'), name: 'dropped-dashboard.png' },
    );
    await panel.status.filter({ hasText: 'for image dropped-dashboard.png' }).waitFor({ timeout: 30_000 });
    expect(await panel.location(panel.ranked(0))).toBe('images/dashboard.png');
    // Later searches are by words alone again.
    await panel.frame.locator('#clear-image').click();
    await panel.frame.locator('#query-image').waitFor({ state: 'hidden' });
  });

  it('says at once why a dropped or pasted image over the limit is not searched, and sends nothing', async () => {
    const { server, workbench } = e2e;
    server.resetStats();
    const before = await panel.status.innerText();
    // 22 MB of PNG signature and padding: over the 21 MB the host accepts as a query image.
    const send = (how: 'drop' | 'paste', name: string) =>
      panel.frame.locator('body').evaluate(
        (body, { how, name }) => {
          const bytes = new Uint8Array(22 * 1024 * 1024);
          bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], name, { type: 'image/png' }));
          const event =
            how === 'drop'
              ? new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true })
              : new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true });
          body.ownerDocument.dispatchEvent(event);
        },
        { how, name },
      );
    await send('drop', 'full-page-capture.png');
    await panel.notice.filter({ hasText: 'full-page-capture.png is 22.0 MB; Sightline searches by images of up to 21.0 MB' }).waitFor({ timeout: 10_000 });
    await workbench.screenshot('panel-image-too-large');
    await send('paste', 'clipboard.png');
    await panel.notice.filter({ hasText: 'clipboard.png is 22.0 MB' }).waitFor({ timeout: 10_000 });
    // No search started: the status line is what it was, the query image slot stays empty, and
    // nothing reached the server.
    expect(await panel.status.innerText()).toBe(before);
    expect(await panel.frame.locator('#query-image').isVisible()).toBe(false);
    expect(server.stats.requests).toBe(0);
  });

  it('updates results after a markdown file is edited and saved, without Index Workspace', async () => {
    const { workbench, server, workspace } = e2e;
    server.resetStats();
    await workbench.clearNotifications();
    await workbench.quickOpen('guide.md');
    await workbench.page.keyboard.press('Control+End');
    await workbench.page.keyboard.type(`\n${BACKUPS_SECTION}`);
    await workbench.save();
    await waitUntil(
      'the edit to be saved',
      () => readFile(path.join(workspace.root, 'docs/guide.md'), 'utf8'),
      (text) => text.includes('glacier vault'),
      30_000,
    );

    // The watcher waits for 1.5 s of quiet, then updates the index by itself.
    await waitUntil(
      'the status bar to count the new section',
      () => statusBarItemCount(workbench),
      (count) => count === itemsIndexed + 1,
      30_000,
    );
    panel = await openSearchPanel(workbench);
    await panel.search('glacier vault snapshots');
    const best = panel.ranked(0);
    expect(await best.innerText()).toContain('Operator Guide › Backups');
    expect(await panel.location(best)).toBe(`docs/guide.md:${GUIDE_MD.split('\n').length + 1}`);
    expect(server.stats.requests).toBeGreaterThan(0);
    // A watcher update is quiet: no summary notification, just the status bar.
    expect(await workbench.notification(/Indexing finished/).count()).toBe(0);
  });
});
