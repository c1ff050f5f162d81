/** The one place that imports playwright-core (a devDependency), so its API stays in one file. */
import * as playwright from 'playwright-core';

export type Browser = playwright.Browser;
export type BrowserContext = playwright.BrowserContext;
export type ConsoleMessage = playwright.ConsoleMessage;
export type FrameLocator = playwright.FrameLocator;
export type Locator = playwright.Locator;
export type Page = playwright.Page;

export const chromium: typeof playwright.chromium = playwright.chromium;
