import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexWorkspace, openSearchPanel, setApiKey } from './support/sightlineActions';
import { stepsOfOneSession } from './support/stepChain';
import { API_KEY, type SightlineE2e, startSightlineE2e } from './support/sightlineE2e';
import { SearchPanelView } from './support/searchPanelView';
import { waitUntil } from './support/waitUntil';

let e2e: SightlineE2e;

beforeAll(async () => {
  e2e = await startSightlineE2e();
  await setApiKey(e2e.workbench, API_KEY);
  const summary = await indexWorkspace(e2e.workbench, { allowUploads: true });
  expect(summary).toMatch(/Indexing finished/);
});
afterAll(async () => {
  await e2e?.stop();
});

/**
 * What a new user meets first, in a real VS Code: the quick search shows image rows for words
 * that are in none of their names, Find Similar Images answers from a closed, a hidden and a
 * visible panel, and a PDF result opens at its page in Sightline's page viewer.
 */
describe('first contact', () => {
  stepsOfOneSession('first', () => e2e);

  it('quick search shows the screenshot a query describes, though no word of the query is in its name', async () => {
    const { workbench } = e2e;
    await workbench.runCommand('Sightline: Search');
    await workbench.quickInputBox().pressSequentially('toggles for notifications and privacy', { delay: 10 });
    await workbench
      .quickInputTitle()
      .filter({ hasText: /Sightline: \d+ results/ })
      .waitFor({ timeout: 30_000 });
    const rows = workbench.quickInputRows();
    // Each row's own label (its first .label-name; the detail line has one too), top to bottom.
    const readLabels = () =>
      rows.evaluateAll((items) =>
        items
          .map((row) => ({ top: row.getBoundingClientRect().top, label: row.querySelector('.label-name')?.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((row) => row.label),
      );
    const labels = await waitUntil('the rows to show', readLabels, (texts) => texts.length > 1);
    const title = await workbench.quickInputTitle().innerText();
    // Every row the title counts is on screen (VS Code's own filter would hide nearly all).
    expect(labels.length, labels.join(' | ')).toBe(Math.min(Number(/(\d+) results/.exec(title)![1]), labels.length));
    expect(labels.length).toBeGreaterThanOrEqual(5);
    expect(labels[0]!.trim()).toBe('settings.png');
    expect(labels.filter((label) => /\.(png|jpe?g)$/.test(label.trim())).length).toBeGreaterThanOrEqual(3);
    await workbench.screenshot('quick-search-images');
    await workbench.page.keyboard.press('Enter');
    await workbench.activeTab().filter({ hasText: 'settings.png' }).waitFor();
  });

  it('Find Similar Images answers from a hidden panel, and clears a filter that would hide its answers', async () => {
    const { workbench } = e2e;
    await workbench.runCommand('View: Close All Editors');
    let panel = await openSearchPanel(workbench);
    await panel.frame.locator('input[name="kind"][value="pdf"]').check();
    await panel.search('quarterly throughput');
    // Another editor in the panel's group hides it (its page is discarded).
    await workbench.quickOpen('intl.md');
    await panel.query.waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
    await workbench.contextMenu(await workbench.revealInExplorer('images/login-screen.png'), 'Find Similar Images');
    panel = await SearchPanelView.find(workbench);
    await panel.status.filter({ hasText: 'Similar to login-screen.png' }).waitFor({ timeout: 30_000 });
    expect(await panel.location(panel.ranked(0))).toBe('exports/login-small.jpg');
    expect(await panel.frame.locator('input[name="kind"]:checked').count()).toBe(0);
    expect(await panel.frame.locator('#results .result:not(.kind-image)').count()).toBe(0);
    expect(await panel.frame.locator('.query-card img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await panel.query.inputValue()).toBe('');
  });

  it('Find Similar Images answers in a visible panel, with the new image at the top', async () => {
    const { workbench } = e2e;
    await workbench.contextMenu(await workbench.revealInExplorer('images/dashboard.png'), 'Find Similar Images');
    const panel = await SearchPanelView.find(workbench);
    await panel.status.filter({ hasText: 'Similar to dashboard.png' }).waitFor({ timeout: 30_000 });
    expect(await panel.results.count()).toBeGreaterThan(0);
    const titles = await panel.results.locator('.caption, .title').allInnerTexts();
    expect(titles).not.toContain('dashboard.png');
  });

  it('Find Similar Images answers from a closed panel', async () => {
    const { workbench } = e2e;
    await workbench.runCommand('View: Close All Editors');
    await waitUntil(
      'the panel to close',
      async () => workbench.page.locator('iframe.webview.ready').count(),
      (count) => count === 0,
    );
    await workbench.contextMenu(await workbench.revealInExplorer('exports/login-small.jpg'), 'Find Similar Images');
    const panel = await SearchPanelView.find(workbench);
    await panel.status.filter({ hasText: 'Similar to login-small.jpg' }).waitFor({ timeout: 30_000 });
    expect(await panel.location(panel.ranked(0))).toBe('images/login-screen.png');
    // The index's state line ("17 items indexed") does not overwrite what the results are.
    await workbench.page.waitForTimeout(1_000);
    expect(await panel.status.innerText()).toContain('Similar to login-small.jpg');
  });

  it('keeps the pages of a PDF under it, "+2 more in this file" showing the others', async () => {
    const { workbench } = e2e;
    const panel = await openSearchPanel(workbench);
    await panel.search('quarterly throughput report section chart runs');
    const pdf = panel.rows.filter({ has: panel.frame.locator('.title', { hasText: 'quarterly.pdf' }) }).first();
    const rank = Number(await pdf.getAttribute('data-result'));
    await panel.frame
      .locator('.weaker-toggle')
      .click()
      .catch(() => undefined);
    const toggle = panel.moreToggle(rank);
    expect(await toggle.innerText()).toBe('+2 more in this file');
    await toggle.click();
    const pages = [await pdf.locator('.title').innerText(), ...(await panel.moreMatches(rank).locator('.title').allInnerTexts())];
    expect(pages.map((p) => /page (\d)/.exec(p)![1]).sort()).toEqual(['1', '2', '3']);
    expect(await panel.moreToggle(rank).innerText()).toBe('Show fewer');
  });

  it("opens a PDF result in the page viewer at the result's page, with page keys, zoom and selectable text", async () => {
    const { workbench } = e2e;
    let panel = await SearchPanelView.find(workbench);
    const rank = Number(
      await panel.rows
        .filter({ has: panel.frame.locator('.title', { hasText: 'quarterly.pdf' }) })
        .first()
        .getAttribute('data-result'),
    );
    const second = panel.moreMatches(rank).first();
    const page = Number(/page (\d)/.exec(await second.locator('.title').innerText())![1]);
    await second.click();
    const viewer = await workbench.webviewWith('#viewport');
    await viewer.locator(`#sheet[data-page="${page}"]`).waitFor({ timeout: 30_000 });
    expect(await viewer.locator('#page').inputValue()).toBe(String(page));
    expect(await viewer.locator('#page-count').innerText()).toBe('of 3');
    expect(await viewer.locator('#page-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await viewer.locator('#text-layer').innerText()).toContain(`Page ${page}: Quarterly throughput report`);
    // The panel stays in view beside it.
    panel = await SearchPanelView.find(workbench);
    expect(await panel.query.isVisible()).toBe(true);
    await workbench.screenshot('pdf-viewer');

    // Page keys.
    await viewer.locator('#viewport').focus();
    const other = page === 3 ? 2 : page + 1;
    await workbench.page.keyboard.press(other > page ? 'PageDown' : 'PageUp');
    await viewer.locator(`#sheet[data-page="${other}"]`).waitFor({ timeout: 15_000 });
    expect(await viewer.locator('#text-layer').innerText()).toContain(`Page ${other}: Quarterly throughput report`);

    // Zoom: the page gets wider, and the zoom level says so.
    const before = await viewer.locator('#sheet').evaluate((sheet) => sheet.getBoundingClientRect().width);
    await viewer.locator('#zoom-in').click();
    await waitUntil(
      'the page to grow',
      () => viewer.locator('#sheet').evaluate((sheet) => sheet.getBoundingClientRect().width),
      (width) => width > before * 1.05,
    );
    expect(await viewer.locator('#zoom-level').innerText()).toMatch(/^\d+%$/);

    // The text is selectable where it is printed: a double click on a word selects it.
    await viewer.locator('#text-layer span', { hasText: 'Quarterly' }).first().dblclick();
    const selected = await viewer.locator('body').evaluate(() => window.getSelection()?.toString() ?? '');
    expect(selected.trim().length).toBeGreaterThan(0);
    expect(`Page ${other}: Quarterly throughput report`).toContain(selected.trim());
    await viewer.locator('#copy-text').click();
    await viewer.locator('#message', { hasText: `Copied the text of page ${other}` }).waitFor({ timeout: 15_000 });
  });
});
