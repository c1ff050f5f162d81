import { expect } from 'vitest';
import { SearchPanelView } from './searchPanelView';
import type { Workbench } from './workbench';

/**
 * What a person does with Sightline, step by step through the workbench: the command palette,
 * its input box and dialogs, notifications and the status bar.
 */

/** Sightline: Set API Key, typed into the password box. */
export async function setApiKey(workbench: Workbench, key: string): Promise<void> {
  await workbench.clearNotifications();
  await workbench.runCommand('Sightline: Set API Key');
  await workbench.quickInputTitle().filter({ hasText: 'Sightline: API key for' }).waitFor();
  expect(await workbench.quickInputBox().getAttribute('type')).toBe('password');
  await workbench.answerInputBox(key);
  await workbench.notificationText(/Sightline: API key for .* saved/);
}

const SUMMARY = /Sightline: Indexing (finished|stopped|cancelled)/;

/**
 * Sightline: Index Workspace through to its summary notification, whose text it returns.
 * `allowUploads` answers the upload-consent dialog, which only the first run in a workspace shows.
 */
export async function indexWorkspace(workbench: Workbench, options: { allowUploads?: boolean; timeoutMs?: number } = {}): Promise<string> {
  await workbench.clearNotifications();
  await workbench.runCommand('Sightline: Index Workspace');
  if (options.allowUploads) await allowUploads(workbench);
  return workbench.notificationText(SUMMARY, options.timeoutMs ?? 90_000);
}

/** Reads the consent dialog (where files go, and how many) and allows it. */
export async function allowUploads(workbench: Workbench): Promise<string> {
  const dialog = workbench.dialog();
  await dialog.waitFor({ timeout: 30_000 });
  const text = await dialog.innerText();
  await workbench.clickDialogButton('Allow and Index');
  return text;
}

/** The item count the Sightline status bar item shows, or undefined when it shows none. */
export async function statusBarItemCount(workbench: Workbench): Promise<number | undefined> {
  const text = (
    await workbench
      .statusBarItem(/Sightline/)
      .first()
      .innerText()
  ).trim();
  const match = /Sightline: ([\d,]+) items?/.exec(text);
  return match ? Number(match[1]!.replace(/,/g, '')) : undefined;
}

/** Sightline: Open Search Panel, waiting for the panel's page to load. */
export async function openSearchPanel(workbench: Workbench): Promise<SearchPanelView> {
  await workbench.runCommand('Sightline: Open Search Panel');
  const panel = await SearchPanelView.find(workbench);
  await panel.ready();
  return panel;
}
