import type { FrameLocator, Locator } from './playwright';
import type { Workbench } from './workbench';

/** The Sightline search panel's page, inside its webview. */
export class SearchPanelView {
  private constructor(readonly frame: FrameLocator) {}

  /** The search panel's page on screen (found by its search box, among other webviews). */
  static async find(workbench: Workbench, timeoutMs?: number): Promise<SearchPanelView> {
    return new SearchPanelView(await workbench.webviewWith('#query', timeoutMs));
  }

  get query(): Locator {
    return this.frame.locator('#query');
  }

  /** The line above the results: "3 results for “x”", or the query image for Find Similar. */
  get status(): Locator {
    return this.frame.locator('#summary');
  }

  /** The index's state when it is not simply ready ("Index this workspace first", progress, an error). */
  get indexState(): Locator {
    return this.frame.locator('#index-state');
  }

  get notice(): Locator {
    return this.frame.locator('#notice');
  }

  /** Every result, in the order they are on screen. */
  get results(): Locator {
    return this.frame.locator('#results [data-result]');
  }

  /** The grid of the best images (when the best results are images), in screen order. */
  get tiles(): Locator {
    return this.frame.locator('#results .result.tile');
  }

  /** One row per file, in screen order (thumbnails inline). */
  get rows(): Locator {
    return this.frame.locator('#results .result.row');
  }

  /** The "+N more in this file" button of the file whose best match has rank `rank`. */
  moreToggle(rank: number): Locator {
    return this.file(rank).locator('.more-toggle');
  }

  /** The other matches shown under the file whose best match has rank `rank`. */
  moreMatches(rank: number): Locator {
    return this.file(rank).locator('.sub-row');
  }

  private file(rank: number): Locator {
    return this.frame.locator('#results .file', { has: this.frame.locator(`.row[data-result="${rank}"]`) });
  }

  /** The file the search engine ranked `rank`-th (0 is the best): the panel keeps its rank in data-result. */
  ranked(rank: number): Locator {
    return this.frame.locator(`#results [data-result="${rank}"]`);
  }

  /** Waits for the panel page to be up (it asks the host for its status when it loads). */
  async ready(): Promise<void> {
    await this.query.waitFor({ timeout: 30_000 });
    await this.frame.locator('body[data-state]').waitFor();
  }

  /** Types a query as a person does and waits for its results (or its "No results"). */
  async search(text: string): Promise<void> {
    await this.query.fill('');
    await this.query.pressSequentially(text, { delay: 10 });
    await this.status.filter({ hasText: `for “${text}”` }).waitFor({ timeout: 30_000 });
  }

  /** The file path and line a result points to (its tooltip: "path:line" or "path (page N)"). */
  async location(result: Locator): Promise<string> {
    return (await result.getAttribute('title')) ?? '';
  }

  /** Whether a tile's thumbnail image actually loaded (CSP and resource roots allow it). */
  async thumbnailLoaded(tile: Locator): Promise<boolean> {
    return tile.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
  }

  /** The panel page's background colour, to tell the themes apart. */
  async backgroundColor(): Promise<string> {
    return this.frame.locator('body').evaluate((body: HTMLElement) => getComputedStyle(body).backgroundColor);
  }
}
