import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchOptions, SearchQuery, SearchResponse, SearchResult } from '../../src/core/index/search/searchTypes';
import { showQuickSearch } from '../../src/vscode/quickSearch';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import type { ServiceState } from '../../src/vscode/indexService';
import { fakeExtensionServices, fakeIndexService } from '../support/fakeVscode/fakeServices';
import type { FakeQuickPick } from '../support/fakeVscode/quickPick';

/**
 * The command-palette search follows the typing: one search per pause, the newest query wins,
 * and results keep the ranking by meaning instead of VS Code's own filtering. The fake quick
 * pick copies items on assignment and filters and sorts rows by label as the workbench does,
 * so `shownItems` is what a person would see.
 */

const APP = path.join(tmpdir(), 'sightline-quick', 'app');

type Item = { label: string; description?: string; detail?: string; alwaysShow?: boolean; buttons?: unknown[]; result: SearchResult };

let search: ReturnType<typeof vi.fn<(query: SearchQuery, options: SearchOptions) => Promise<SearchResponse>>>;
let similar: Array<[string, string]>;
let pick: FakeQuickPick<Item>;
let state: ServiceState;

function open(): void {
  showQuickSearch(
    fakeExtensionServices({
      service: fakeIndexService({
        search,
        get state() {
          return state;
        },
      }),
    }),
    (root, file) => similar.push([root, file]),
  );
  pick = fake.window.createdQuickPicks.at(-1) as unknown as FakeQuickPick<Item>;
}

beforeEach(() => {
  vi.useFakeTimers();
  resetFake();
  fake.workspace.setFolders([APP]);
  state = { kind: 'ready', files: 3, items: 10 };
  search = vi.fn(async (query: SearchQuery) => ({
    mode: 'hybrid' as const,
    results: [
      { root: 'app', path: 'images/login.png', kind: 'image' as const, part: 'image' as const, score: 0.9 },
      {
        root: 'app',
        path: 'docs/guide.md',
        kind: 'markdown' as const,
        part: 'section' as const,
        score: 0.5,
        line: 7,
        headingPath: ['Guide', 'Login'],
        snippet: `about ${query.text}`,
      },
    ],
  }));
  similar = [];
  open();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('showQuickSearch', () => {
  it('searches once typing pauses, with the last text', async () => {
    expect(pick.visible).toBe(true);
    pick.type('log');
    await vi.advanceTimersByTimeAsync(100);
    pick.type('login screen');
    await vi.advanceTimersByTimeAsync(199);
    expect(search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search.mock.calls[0]![0]).toEqual({ text: 'login screen' });
    expect(search.mock.calls[0]![1]).toMatchObject({ top: 30 });
    expect(pick.busy).toBe(false);
    expect(pick.title).toBe('Sightline: 2 results');
    // One workspace folder: its name is not repeated before every folder.
    expect(pick.items.map((i) => [i.label, i.description, i.detail, i.alwaysShow])).toEqual([
      ['$(file-media) login.png', 'images', undefined, true],
      ['$(markdown) guide.md', 'docs — Guide › Login', 'about login screen', true],
    ]);
    expect(pick.items[0]!.buttons).toHaveLength(1);
    expect(pick.items[1]!.buttons).toEqual([]);
  });

  it("shows every row in the engine's order, even for words that are in none of the rows", async () => {
    search.mockResolvedValueOnce({
      mode: 'hybrid',
      results: [
        { root: 'app', path: 'shots/Backlinks.png', kind: 'image', part: 'image', score: 0.62 },
        { root: 'app', path: 'shots/graph-view.png', kind: 'image', part: 'image', score: 0.6 },
        // The only row whose label holds the typed letters in order: VS Code would lift it first.
        { root: 'app', path: 'notes/settings window.md', kind: 'markdown', part: 'section', score: 0.41, line: 1, snippet: 'editor font and theme' },
      ],
    });
    pick.type('settings window');
    await vi.advanceTimersByTimeAsync(200);
    expect(pick.shownItems.map((i) => i.result.path)).toEqual(['shots/Backlinks.png', 'shots/graph-view.png', 'notes/settings window.md']);
    expect(pick.sortByLabel).toBe(false);
    expect([pick.matchOnDescription, pick.matchOnDetail]).toEqual([false, false]);
  });

  it('names a PDF page in the row title, and shows the workspace folder only in a multi-root window', async () => {
    fake.workspace.setFolders([APP, path.join(tmpdir(), 'sightline-quick', 'docs')]);
    search.mockResolvedValueOnce({
      mode: 'hybrid',
      results: [{ root: 'app', path: 'manuals/manual.pdf', kind: 'pdf', part: 'page-text', score: 0.5, page: 2, snippet: 'Page 2' }],
    });
    pick.type('manual');
    await vi.advanceTimersByTimeAsync(200);
    expect(pick.items.map((i) => [i.label, i.description])).toEqual([['$(file-pdf) manual.pdf - page 2', 'app · manuals']]);
  });

  it('says to index the workspace first, before there is an index, and indexes from that row', async () => {
    state = { kind: 'empty' };
    open();
    expect(pick.items.map((i) => i.label)).toEqual(['$(database) Index this workspace first']);
    pick.type('login');
    await vi.advanceTimersByTimeAsync(200);
    expect(search).not.toHaveBeenCalled();
    expect(pick.shownItems.map((i) => i.label)).toEqual(['$(database) Index this workspace first']);
    pick.accept(pick.items[0]!);
    expect(fake.commands.executed.map((c) => c.id)).toEqual(['sightline.indexWorkspace']);
  });

  it('drops the answer of a query that a newer one replaced', async () => {
    let releaseFirst!: () => void;
    let firstSignal: AbortSignal | undefined;
    search.mockImplementationOnce(async (_query, options) => {
      firstSignal = options.signal;
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      return { mode: 'hybrid', results: [{ root: 'app', path: 'stale.png', kind: 'image', part: 'image', score: 1 }] };
    });
    pick.type('first');
    await vi.advanceTimersByTimeAsync(200);
    pick.type('second');
    await vi.advanceTimersByTimeAsync(200);
    expect(firstSignal?.aborted).toBe(true);
    releaseFirst();
    await vi.advanceTimersByTimeAsync(0);
    expect(pick.items.map((i) => i.result.path)).toEqual(['images/login.png', 'docs/guide.md']);
  });

  it('clears the list for an empty query without searching', async () => {
    pick.type('   ');
    await vi.advanceTimersByTimeAsync(500);
    expect(search).not.toHaveBeenCalled();
    expect(pick.items).toEqual([]);
  });

  it('shows the notice or the error in the title', async () => {
    search.mockResolvedValueOnce({ mode: 'lexical', notice: 'No API key: text matches only.', results: [] });
    pick.type('a');
    await vi.advanceTimersByTimeAsync(200);
    expect(pick.title).toBe('Sightline: No API key: text matches only.');
    search.mockRejectedValueOnce(new Error('HTTP 401'));
    pick.type('b');
    await vi.advanceTimersByTimeAsync(200);
    expect(pick.title).toBe('Sightline: HTTP 401');
  });

  it('opens the accepted result where it points', async () => {
    pick.type('login');
    await vi.advanceTimersByTimeAsync(200);
    pick.accept(pick.items[1]!);
    await vi.advanceTimersByTimeAsync(0);
    expect(pick.visible).toBe(false);
    expect(fake.window.documents[0]!.uri.fsPath).toBe(path.join(APP, 'docs', 'guide.md'));
    expect(fake.window.documents[0]!.options?.selection?.start.line).toBe(6);
  });

  it('finds similar images from the row button', async () => {
    pick.type('login');
    await vi.advanceTimersByTimeAsync(200);
    pick.triggerButton(pick.items[0]!);
    expect(similar).toEqual([['app', 'images/login.png']]);
    expect(fake.commands.executed).toEqual([]);
  });

  it('cancels the search in flight and disposes itself when hidden', async () => {
    let signal: AbortSignal | undefined;
    search.mockImplementationOnce((_query, options) => ((signal = options.signal), new Promise(() => undefined)));
    pick.type('x');
    await vi.advanceTimersByTimeAsync(200);
    pick.hide();
    expect(signal?.aborted).toBe(true);
    expect(pick.disposed).toBe(true);
  });
});
