import { beforeEach, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../src/core/index/indexer/indexProgress';
import { createStatusBar, statusText } from '../../src/vscode/statusBar';
import { fakeIndexService, fakeServiceStates } from '../support/fakeVscode/fakeServices';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { ThemeColor } from '../support/fakeVscode/types';

beforeEach(resetFake);

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

  it('shows a spinner while indexing, with a percentage once the scan is done', () => {
    expect(statusText({ kind: 'indexing' })).toEqual({ text: '$(sync~spin) Sightline: indexing', tooltip: 'Indexing…' });
    const scanning = statusText({ kind: 'indexing', progress: progress({ filesToProcess: 40, filesProcessed: 3, itemsEmbedded: 7 }) });
    expect(scanning.text).toBe('$(sync~spin) Sightline: indexing');
    expect(scanning.tooltip).toBe('Indexing: 3/40 changed files, 7 items embedded');
    const embedding = statusText({ kind: 'indexing', progress: progress({ scanDone: true, filesToProcess: 3, filesProcessed: 2, itemsEmbedded: 9 }) });
    expect(embedding.text).toBe('$(sync~spin) Sightline: indexing 66%');
    // Nothing to do after the scan: no division by zero.
    expect(statusText({ kind: 'indexing', progress: progress({ scanDone: true }) }).text).toBe('$(sync~spin) Sightline: indexing');
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
