import { copyFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/e2ePaths';
import { indexWorkspace, openSearchPanel, setApiKey } from './support/sightlineActions';
import { stepsOfOneSession } from './support/stepChain';
import { API_KEY, type SightlineE2e, startSightlineE2e } from './support/sightlineE2e';
import { SearchPanelView } from './support/searchPanelView';

/** A query whose answers are of every kind: the screenshot, the guide's section, a PDF page. */
const QUERY = 'dashboard red banner troubleshooting chart';

let e2e: SightlineE2e;

beforeAll(async () => {
  // The semantic fake (meaning across words, a modality gap, a common direction): results as a real model ranks them.
  e2e = await startSightlineE2e({ server: { semantic: { modalityGap: 0.3 } } });
  await setApiKey(e2e.workbench, API_KEY);
  expect(await indexWorkspace(e2e.workbench, { allowUploads: true })).toMatch(/Indexing finished/);
});
afterAll(async () => {
  await e2e?.stop();
});

/**
 * The README's screenshots, in light and dark: the panel with mixed results and the PDF page
 * viewer. Saved in test-results/e2e; with SIGHTLINE_UPDATE_DOCS=1 also copied to docs/.
 */
async function capture(name: string): Promise<void> {
  const file = await e2e.workbench.screenshot(name);
  if (process.env.SIGHTLINE_UPDATE_DOCS === '1') {
    await mkdir(path.join(PROJECT_ROOT, 'docs'), { recursive: true });
    await copyFile(file, path.join(PROJECT_ROOT, 'docs', `${name}.png`));
  }
}

async function inBothThemes(name: string, settle: () => Promise<void>): Promise<void> {
  const { workbench } = e2e;
  await settle();
  await capture(`${name}-light`);
  await workbench.selectColorTheme('Dark Modern', 'vs-dark');
  await settle();
  await capture(`${name}-dark`);
  await workbench.selectColorTheme('Light Modern', 'vs');
}

describe('README screenshots', () => {
  stepsOfOneSession('readme', () => e2e);

  it('the panel with mixed results: an image, markdown sections and a PDF page in one ranked list', async () => {
    const { workbench } = e2e;
    await workbench.runCommand('View: Close All Editors');
    const panel = await openSearchPanel(workbench);
    await panel.search(QUERY);
    await panel.frame
      .locator('.weaker-toggle')
      .click()
      .catch(() => undefined);
    const kinds = await panel.frame
      .locator('#results .result.row, #results .result.tile')
      .evaluateAll((items) => [...new Set(items.map((i) => /kind-(\w+)/.exec(i.className)![1]))]);
    expect(kinds.sort()).toEqual(['image', 'markdown', 'pdf']);
    // The PDF's other pages, each with its thumbnail.
    const pdf = panel.frame.locator('#results .file', { has: panel.frame.locator('.title', { hasText: 'quarterly.pdf' }) });
    await pdf.locator('.more-toggle').click();
    await panel.query.focus();
    await workbench.clearNotifications();
    await inBothThemes('search-panel', async () => {
      for (const image of await panel.frame.locator('#results img').all()) await image.evaluate((img: HTMLImageElement) => img.decode().catch(() => undefined));
      await workbench.page.waitForTimeout(300);
    });
  });

  it("the PDF page viewer, opened at a result's page beside the panel", async () => {
    const { workbench } = e2e;
    const panel = await SearchPanelView.find(workbench);
    await panel.rows
      .filter({ has: panel.frame.locator('.title', { hasText: 'quarterly.pdf' }) })
      .first()
      .click();
    const viewer = await workbench.webviewWith('#viewport');
    await viewer.locator('#sheet[data-page]').waitFor({ timeout: 30_000 });
    await inBothThemes('pdf-viewer', async () => {
      await viewer.locator('#page-image').evaluate((img: HTMLImageElement) => img.decode().catch(() => undefined));
      await workbench.page.waitForTimeout(300);
    });
  });
});
