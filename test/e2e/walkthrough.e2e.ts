import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexWorkspace, openSearchPanel, setApiKey } from './support/sightlineActions';
import { stepsOfOneSession } from './support/stepChain';
import { API_KEY, type SightlineE2e, startSightlineE2e } from './support/sightlineE2e';
import { SearchPanelView } from './support/searchPanelView';
import { waitUntil } from './support/waitUntil';

const CATEGORY = 'sightline.sightline#sightline.gettingStarted';

let e2e: SightlineE2e;

beforeAll(async () => {
  e2e = await startSightlineE2e();
});
afterAll(async () => {
  await e2e?.stop();
});

/** The walkthrough's steps VS Code counts as done, read from the walkthrough itself. */
async function stepsDone(): Promise<string[]> {
  const { workbench } = e2e;
  await workbench.runCommand('Welcome: Open Walkthrough...');
  await workbench.quickInputBox().fill('Get started with Sightline');
  await workbench.pickQuickInputRow('Get started with Sightline');
  const steps = workbench.page.locator(`button.getting-started-step[data-step-id^="${CATEGORY}#"]`);
  await steps.first().waitFor({ timeout: 15_000 });
  return steps.evaluateAll((buttons) =>
    buttons.filter((b) => b.getAttribute('aria-checked') === 'true').map((b) => b.getAttribute('data-step-id')!.split('#').pop()!),
  );
}

/** Waits for VS Code to count exactly these steps done (it stores completion as the events arrive). */
async function expectStepsDone(ids: readonly string[]): Promise<void> {
  const done = await waitUntil(`steps ${ids.join(', ') || '(none)'} to be done`, stepsDone, (d) => d.join() === ids.join(), 20_000, 500);
  expect(done).toEqual(ids);
  // Close the walkthrough by its tab (it holds the keyboard, which the palette then misses).
  const tab = e2e.workbench.page.locator('.tabs-container .tab', { hasText: 'Walkthrough:' });
  await tab.hover();
  await tab.locator('.codicon-close').click();
  await tab.waitFor({ state: 'detached' });
}

/**
 * The getting-started walkthrough in a real VS Code: each step is counted done when the user has
 * done it (not when it is opened): key set, what will be sent seen, indexed, a search, Find Similar.
 */
describe('the getting-started walkthrough', () => {
  stepsOfOneSession('walkthrough', () => e2e);

  it('opens with none of its five steps done', async () => {
    await expectStepsDone([]);
  });

  it('counts "Set your API key" once a key is stored', async () => {
    await setApiKey(e2e.workbench, API_KEY);
    await expectStepsDone(['apiKey']);
  });

  it('counts "See what will be sent" once it was shown: counts and host, nothing sent', async () => {
    const { workbench, server } = e2e;
    await workbench.runCommand('Sightline: Show What Will Be Sent');
    const dialog = workbench.dialog();
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    expect(text).toContain(`What Sightline sends to ${new URL(server.baseUrl).host}`);
    expect(text).toContain('4 images, 2 markdown files and 1 PDF');
    await workbench.clickDialogButton('Cancel');
    expect(server.stats.requests).toBe(0);
    await expectStepsDone(['apiKey', 'whatIsSent']);
  });

  it('counts "Index the workspace" once it is indexed', async () => {
    expect(await indexWorkspace(e2e.workbench, { allowUploads: true })).toMatch(/Indexing finished/);
    await expectStepsDone(['apiKey', 'whatIsSent', 'index']);
  });

  it('counts "Try a search" once a search was answered', async () => {
    const panel = await openSearchPanel(e2e.workbench);
    await panel.search('analytics dashboard charts');
    await expectStepsDone(['apiKey', 'whatIsSent', 'index', 'search']);
  });

  it('counts "Try Find Similar" once similar images were shown', async () => {
    const { workbench } = e2e;
    await workbench.contextMenu(await workbench.revealInExplorer('images/login-screen.png'), 'Find Similar Images');
    const panel = await SearchPanelView.find(workbench);
    await panel.status.filter({ hasText: 'Similar to login-screen.png' }).waitFor({ timeout: 30_000 });
    await expectStepsDone(['apiKey', 'whatIsSent', 'index', 'search', 'similar']);
  });
});
