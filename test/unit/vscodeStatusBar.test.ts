import { beforeEach, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../src/core/index/indexer/indexProgress';
import { createStatusBar, statusText } from '../../src/vscode/statusBar';
import { fakeIndexService, fakeServiceStates } from '../support/fakeVscode/fakeServices';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { ThemeColor } from '../support/fakeVscode/types';

beforeEach(resetFake);

const NO_ITEMS = { done: 0, total: 0 };

function progress(values: Partial<IndexProgress>): IndexProgress {
  return {
    phase: 'indexing',
    filesSeen: 0,
    filesToProcess: 0,
    filesProcessed: 0,
    scanDone: false,
    itemsEmbedded: 0,
    itemsReused: 0,
    itemsFailed: 0,
    filesPerSecond: 0,
    items: { image: NO_ITEMS, markdown: NO_ITEMS, pdf: NO_ITEMS, notebook: NO_ITEMS },
    requestsDone: 0,
    requestsLeft: 0,
    requestsPerSecond: 5,
    fraction: 0,
    estimated: false,
    ...values,
  };
}

describe('statusText', () => {
  it('says not indexed yet when the index is empty', () => {
    expect(statusText({ kind: 'empty' })).toEqual({ text: '$(search) Sightline', tooltip: 'Sightline: not indexed yet. Click to open the search panel.' });
  });

  it('counts items, and files when they are known', () => {
    expect(statusText({ kind: 'ready', files: 1234, items: 56789 })).toEqual({
      text: '$(search) Sightline: 56,789 items',
      tooltip: 'Sightline: 56,789 items from 1,234 files indexed. Click to search.',
    });
    // At start-up only the manifest is read: the file count is unknown (-1) and left out.
    expect(statusText({ kind: 'ready', files: -1, items: 10 }).tooltip).toBe('Sightline: 10 items indexed. Click to search.');
  });

  it('shows a spinner while indexing, with the share of requests done and the ETA from the first seconds', () => {
    expect(statusText({ kind: 'indexing' })).toEqual({ text: '$(sync~spin) Sightline: indexing', tooltip: 'Indexing…' });
    // The walk goes on, but what was found already has a request budget and an ETA.
    const early = statusText({
      kind: 'indexing',
      progress: progress({
        filesSeen: 120,
        filesToProcess: 80,
        items: { markdown: { done: 64, total: 640 }, image: { done: 0, total: 48 }, pdf: NO_ITEMS, notebook: NO_ITEMS },
        requestsDone: 2,
        requestsLeft: 66,
        fraction: 2 / 68,
        estimated: true,
        etaSeconds: 13.2,
      }),
    });
    expect(early.text).toBe('$(sync~spin) Sightline: indexing 2%');
    expect(early.tooltip).toBe('Indexing: markdown 64 of ~640, images 0 of ~48, about 13 s left');
    const late = statusText({
      kind: 'indexing',
      progress: progress({
        scanDone: true,
        filesToProcess: 80,
        items: { markdown: { done: 2108, total: 2108 }, image: { done: 1200, total: 4860 }, pdf: { done: 36, total: 72 }, notebook: { done: 0, total: 0 } },
        requestsDone: 1290,
        requestsLeft: 3696,
        fraction: 1290 / 4986,
        etaSeconds: 739,
      }),
    });
    expect(late.text).toBe('$(sync~spin) Sightline: indexing 25%');
    expect(late.tooltip).toBe('Indexing: markdown 2,108 of 2,108, images 1,200 of 4,860, PDF 36 of 72, about 12 min left');
    // Nothing to do after the scan: no share, no ETA.
    expect(statusText({ kind: 'indexing', progress: progress({ scanDone: true }) })).toEqual({
      text: '$(sync~spin) Sightline: indexing',
      tooltip: 'Indexing: 0 files seen',
    });
  });

  it('shows the error in the tooltip', () => {
    expect(statusText({ kind: 'error', message: 'HTTP 401 from embed.example.com' })).toEqual({
      text: '$(error) Sightline',
      tooltip: 'Sightline: HTTP 401 from embed.example.com',
    });
  });
});

describe('createStatusBar', () => {
  it('follows the service state, opens the panel on click, and turns red on errors', () => {
    const states = fakeServiceStates();
    const service = fakeIndexService({ onDidChangeState: states.event });
    const disposable = createStatusBar(service);
    const [item] = fake.window.statusBarItems;
    expect(item).toMatchObject({ id: 'sightline.status', command: 'sightline.openSearchPanel', visible: true, text: '$(search) Sightline' });
    states.fire({ kind: 'error', message: 'down' });
    expect(item!.text).toBe('$(error) Sightline');
    expect(item!.backgroundColor).toEqual(new ThemeColor('statusBarItem.errorBackground'));
    states.fire({ kind: 'ready', files: 1, items: 2 });
    expect(item!.backgroundColor).toBeUndefined();
    disposable.dispose();
    expect(item!.disposed).toBe(true);
    expect(states.listenerCount).toBe(0);
  });
});
