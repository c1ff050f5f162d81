import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from './playwright';
import { RESULTS_DIR } from './e2ePaths';

/**
 * The VS Code workbench as a person uses it: the command palette, notifications, modal dialogs,
 * the status bar, the explorer and editors. Selectors are VS Code's own DOM classes (1.100).
 */
export class Workbench {
  constructor(readonly page: Page) {}

  /** Loads the workbench and waits until it is interactive. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.page.locator('.statusbar').waitFor();
    // The explorer shows the folder once the remote file system answers.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Runs a command from the command palette by its full title, e.g. "Sightline: Index Workspace". */
  async runCommand(title: string): Promise<void> {
    await this.closeQuickInput();
    const input = this.quickInputBox();
    await this.page.keyboard.press('F1');
    // An editor that keeps the keyboard (the Welcome page's walkthrough) can swallow F1 once:
    // take the focus off it and press again.
    if (
      !(await input.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await this.page.keyboard.press('F1');
      await input.waitFor();
    }
    await input.fill(`>${title}`);
    await this.pickQuickInputRow(title);
  }

  /** Clicks the row of the open quick pick whose label is exactly `label`. */
  async pickQuickInputRow(label: string): Promise<void> {
    const name = this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) });
    await this.page.locator('.quick-input-widget .monaco-list-row', { has: name }).first().click({ timeout: 15_000 });
  }

  /** The rows of the open quick pick, in screen order. */
  quickInputRows(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  }

  quickInputBox(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /** The quick input's title, e.g. an input box's "Sightline: API key for ...". */
  quickInputTitle(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-title');
  }

  async closeQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
  }

  /** Answers an input box (showInputBox) that is open. */
  async answerInputBox(text: string): Promise<void> {
    const input = this.quickInputBox();
    await input.waitFor();
    await input.fill(text);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** A notification toast whose message matches. */
  notification(message: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-list-item', { hasText: message });
  }

  /**
   * The newest notification whose message matches, wherever VS Code put it. VS Code shows at most
   * three new toasts per 800 ms (the rest go only to the notification center) and none while the
   * center is open, so when no toast turns up within a few seconds this opens the center and
   * looks there too.
   */
  async findNotification(message: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
    const toast = this.notification(message).last();
    const listed = this.page.locator('.notifications-center .notification-list-item', { hasText: message }).last();
    const started = Date.now();
    let centerShown = false;
    for (;;) {
      if (await toast.isVisible()) return toast;
      if (await listed.isVisible()) return listed;
      const waited = Date.now() - started;
      if (waited > timeoutMs) throw new Error(`No notification matching ${String(message)} within ${timeoutMs} ms`);
      if (!centerShown && waited > 5_000) {
        await this.runCommand('Notifications: Show Notifications');
        centerShown = true;
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** The message of the newest notification that matches (see findNotification). */
  async notificationText(message: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const item = await this.findNotification(message, timeoutMs);
    return (await item.locator('.notification-list-item-message').innerText()).trim();
  }

  /** Clears every notification (which also closes the notification center), so later waits see only new ones. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page
      .locator('.notifications-toasts .notification-list-item')
      .first()
      .waitFor({ state: 'detached', timeout: 5_000 })
      .catch(() => undefined);
  }

  /** The modal dialog (showMessage with modal: true). */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  async clickDialogButton(label: string): Promise<void> {
    await this.dialog().locator('.dialog-buttons .monaco-button', { hasText: label }).click();
    await this.dialog().waitFor({ state: 'hidden' });
  }

  statusBarItem(text: string | RegExp): Locator {
    return this.page.locator('.statusbar-item', { hasText: text });
  }

  /** The cursor's line in the active text editor, from the status bar's "Ln X, Col Y". */
  async cursorLine(): Promise<number> {
    const text = await this.statusBarItem(/^Ln \d+, Col \d+/)
      .first()
      .innerText();
    return Number(/^Ln (\d+)/.exec(text.trim())![1]);
  }

  /** The active editor tab's label. */
  activeTab(): Locator {
    return this.page.locator('.editor-group-container.active .tabs-container .tab.active');
  }

  /**
   * The content of the webview whose panel tab is active: webviews sit two iframes deep, the
   * outer one (`iframe.webview.ready`) hosting `#active-frame` with the extension's page.
   */
  activeWebview(): FrameLocator {
    return this.page.locator('iframe.webview.ready').first().contentFrame().locator('#active-frame').contentFrame();
  }

  /**
   * The content of the webview whose page has `selector` (the search panel has #query, the PDF
   * viewer #viewport), when several are on screen side by side. Pinned to that webview's iframe
   * by its name, which lasts as long as the page: look it up again after the panel was hidden.
   */
  async webviewWith(selector: string, timeoutMs = 30_000): Promise<FrameLocator> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const outer of await this.page.locator('iframe.webview.ready').all()) {
        const inner = outer.contentFrame().locator('#active-frame').contentFrame();
        const name = await outer.getAttribute('name').catch(() => null);
        if (
          name &&
          (await inner
            .locator(selector)
            .count()
            .catch(() => 0)) > 0
        ) {
          return this.page.locator(`iframe.webview.ready[name="${name}"]`).contentFrame().locator('#active-frame').contentFrame();
        }
      }
      if (Date.now() > deadline) throw new Error(`No webview with ${selector} within ${timeoutMs} ms`);
      await this.page.waitForTimeout(200);
    }
  }

  /** Opens a file through Quick Open (Ctrl+P) by its name, and focuses its editor. */
  async quickOpen(fileName: string): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press('Control+P');
    await this.quickInputBox().fill(fileName);
    await this.pickQuickInputRow(fileName);
    await this.activeTab().filter({ hasText: fileName }).waitFor();
    await this.page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  }

  /** Saves the active editor (Ctrl+S). Saving goes through the remote file system: wait on the file. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
  }

  /** Picks a colour theme the way a person does: Preferences: Color Theme, then its name as listed ("Dark Modern"). */
  async selectColorTheme(name: string, type: 'vs' | 'vs-dark'): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    await this.quickInputBox().fill(name);
    await this.pickQuickInputRow(name);
    await this.page.locator(`.monaco-workbench.${type}`).waitFor({ timeout: 30_000 });
  }

  /** A row of the explorer tree by its path, expanding folders on the way (single-folder workspace). */
  async revealInExplorer(relativePath: string): Promise<Locator> {
    const parts = relativePath.split('/');
    let row: Locator | undefined;
    for (const [i, part] of parts.entries()) {
      row = this.page.locator(`.explorer-folders-view .monaco-list-row[aria-level="${i + 1}"][aria-label=${JSON.stringify(part)}]`).first();
      await row.waitFor();
      if (i < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') await row.click();
    }
    return row!;
  }

  /** Opens a row's context menu and picks an entry. */
  async contextMenu(target: Locator, entry: string): Promise<void> {
    await target.click({ button: 'right' });
    const item = this.page.locator('.context-view .monaco-menu .action-item', { hasText: entry }).first();
    await item.waitFor();
    await item.hover();
    await item.click();
    // Monaco's menus can swallow a click that lands while they are still settling; the item is
    // focused by the hover, so Enter picks it the way a keyboard user would.
    const closed = await item.waitFor({ state: 'hidden', timeout: 2000 }).then(
      () => true,
      () => false,
    );
    if (!closed) await this.page.keyboard.press('Enter');
  }

  /** Saves a PNG of the page under test-results/e2e/. */
  async screenshot(name: string): Promise<string> {
    await fs.mkdir(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
