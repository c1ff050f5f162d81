import { type Browser, type BrowserContext, chromium, type ConsoleMessage, type Page } from './playwright';
import { CHROMIUM_BIN } from './e2ePaths';

/** Debian's Chromium, headless, with nothing that reaches out to the network by itself. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface BrowserPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Errors the page logged, for a failing test's report. */
  readonly consoleErrors: string[];
}

/** A fresh context (no shared storage between scenarios) and one page of a desktop size. */
export async function openPage(browser: Browser): Promise<BrowserPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') consoleErrors.push(message.text().slice(0, 500));
  });
  page.on('pageerror', (error: Error) => consoleErrors.push(`pageerror: ${error.message.slice(0, 500)}`));
  return { context, page, consoleErrors };
}
