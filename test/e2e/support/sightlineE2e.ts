import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { inject } from 'vitest';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../../support/fakeServer/fakeEmbeddingServer';
import type { FakeServerOptions } from '../../support/fakeServer/fakeServerOptions';
import { createWorkspaceFixture, type WorkspaceFixture } from '../../support/workspaceFixture';
import { type BrowserPage, launchChromium, openPage } from './browser';
import { CodeServer } from './codeServer';
import { RESULTS_DIR } from './e2ePaths';
import type { Browser, Page } from './playwright';
import { Workbench } from './workbench';

/** The key the fake server accepts (its default). */
export const API_KEY = 'test-key';

/** What the fake model "sees" in the fixture's screenshots: text queries find images by these. */
export const CAPTIONS: Readonly<Record<string, string>> = {
  'images/dashboard.png': 'analytics dashboard with charts and a red banner',
  'images/settings.png': 'settings page with toggles for notifications and privacy',
};

export interface SightlineE2e {
  readonly server: FakeEmbeddingServer;
  readonly workspace: WorkspaceFixture;
  readonly codeServer: CodeServer;
  readonly workbench: Workbench;
  readonly page: BrowserPage;
  /** Leaves a screenshot and the logs under test-results/e2e/ for a failed test. */
  saveFailure(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface SightlineE2eOptions {
  readonly server?: FakeServerOptions;
  /** Extra Sightline settings (Remote settings, where machine-scoped ones take effect). */
  readonly settings?: Record<string, unknown>;
}

/**
 * One scenario's world: the fixture workspace, the fake embeddings server (256-dimensional
 * vectors, captions for the screenshots), a fresh code-server with the packaged extension
 * pointed at that server, and Chromium showing the workbench with the folder open and trusted.
 */
export async function startSightlineE2e(options: SightlineE2eOptions = {}): Promise<SightlineE2e> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const server = await startFakeEmbeddingServer({ dimensions: 256, ...options.server });
    cleanups.push(() => server.close());
    const workspace = await createWorkspaceFixture();
    cleanups.push(() => workspace.remove());
    for (const [file, caption] of Object.entries(CAPTIONS)) await server.describeImage(await fs.readFile(path.join(workspace.root, file)), caption);

    const remoteSettings = { ...sightlineSettings(server), ...options.settings };
    const codeServer = await CodeServer.start({ vsixPath: inject('vsixPath'), userSettings: quietWorkbenchSettings(), remoteSettings });
    cleanups.push(() => codeServer.stop());
    const browser: Browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await openPage(browser);
    const workbench = new Workbench(page.page);
    await workbench.open(codeServer.folderUrl(workspace.root));
    await trustWorkspace(workbench);
    // The extension activates on startup finished; its status bar item says it is up.
    await workbench.statusBarItem(/Sightline/).waitFor({ timeout: 90_000 });

    return {
      server,
      workspace,
      codeServer,
      workbench,
      page,
      saveFailure: async (name) => {
        await fs.mkdir(RESULTS_DIR, { recursive: true });
        await page.page.screenshot({ path: path.join(RESULTS_DIR, `${name}-failure.png`) }).catch(() => undefined);
        const report = [
          await codeServer.diagnostics(),
          `--- page ---\n${await pageState(page.page)}`,
          '--- browser console errors ---',
          ...page.consoleErrors,
        ].join('\n');
        await fs.writeFile(path.join(RESULTS_DIR, `${name}-failure.log`), report);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Whether the page is visible, focused and still painting (a stalled compositor stops VS Code's toasts). */
async function pageState(page: Page): Promise<string> {
  return page
    .evaluate(async () => {
      const painted = await Promise.race([
        new Promise<boolean>((resolve) => requestAnimationFrame(() => resolve(true))),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000)),
      ]);
      const texts = (selector: string) => [...document.querySelectorAll(selector)].map((node) => (node.textContent ?? '').slice(0, 200));
      return JSON.stringify(
        {
          visibility: document.visibilityState,
          focused: document.hasFocus(),
          animationFrame: painted,
          activeElement: document.activeElement?.className,
          toasts: texts('.notifications-toasts .notification-list-item'),
          toastsContainer: document.querySelector('.notifications-toasts')?.className,
          center: document.querySelector('.notifications-center')?.className,
          centerItems: texts('.notifications-center .notification-list-item'),
        },
        null,
        1,
      );
    })
    .catch((error: unknown) => `unavailable: ${String(error)}`);
}

/** Points Sightline at the fake server, fast (machine-scoped: they go in Remote settings). */
function sightlineSettings(server: FakeEmbeddingServer): Record<string, unknown> {
  return { 'sightline.endpoint': server.baseUrl, 'sightline.requestsPerSecond': 100, 'sightline.burst': 100 };
}

/** No welcome pages, tips, update checks, telemetry or recommendations; a fixed light theme. */
function quietWorkbenchSettings(): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.colorTheme': 'Default Light Modern',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'chat.commandCenter.enabled': false,
    'security.workspace.trust.startupPrompt': 'never',
    'editor.minimap.enabled': false,
  };
}

/**
 * Trusts the folder the way a person does: the status bar's Restricted Mode opens the Workspace
 * Trust editor, whose Trust button trusts the folder; then closes that editor.
 */
async function trustWorkspace(workbench: Workbench): Promise<void> {
  const restricted = workbench.statusBarItem('Restricted Mode');
  await restricted.click({ timeout: 60_000 });
  await workbench.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).click();
  await restricted.waitFor({ state: 'detached', timeout: 30_000 });
  await workbench.runCommand('View: Close All Editors');
}
