import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fileKey } from '../../src/core/common/fileKey';
import type { DuplicateGroup } from '../../src/core/index/search/duplicateImages';
import { findDuplicates } from '../../src/vscode/commands/indexMaintenanceCommands';
import { duplicateGroupViews } from '../../src/vscode/duplicates/duplicateGroupViews';
import type { ExtensionServices } from '../../src/vscode/extensionServices';
import type { IndexedFileFacts } from '../../src/vscode/indexService';
import type { DuplicatesHostMessage } from '../../src/shared/duplicatesProtocol';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { Uri } from '../support/fakeVscode/uri';
import type { FakeWebviewPanel } from '../support/fakeVscode/webviewPanel';

/**
 * Find Duplicate Images shows its groups in a panel: thumbnails side by side with sizes and
 * dates, "near-identical" wording, and Open, Reveal and Delete (to the trash, after asking)
 * for files it listed only.
 */

function facts(filePath: string, extra: Partial<IndexedFileFacts> = {}): [string, IndexedFileFacts] {
  return [fileKey('app', filePath), { bytes: 2048, modified: Date.UTC(2026, 10, 3), thumbnail: `/index/thumbs/${filePath}.webp`, ...extra }];
}

describe('duplicateGroupViews', () => {
  const known = new Map([facts('a/one.png'), facts('b/one.png', { bytes: 4096 }), facts('shots/big.png'), facts('exports/big.jpg')]);
  const groups: DuplicateGroup[] = [
    {
      kind: 'exact',
      similarity: 1,
      files: [
        { root: 'app', path: 'a/one.png' },
        { root: 'app', path: 'b/one.png' },
      ],
    },
    {
      kind: 'near',
      similarity: 0.96,
      files: [
        { root: 'app', path: 'shots/big.png' },
        { root: 'app', path: 'exports/big.jpg' },
        { root: 'app', path: 'gone.png' },
      ],
    },
    {
      kind: 'near',
      similarity: 0.95,
      files: [
        { root: 'app', path: 'shots/big.png' },
        { root: 'app', path: 'deleted.png' },
      ],
    },
  ];

  it('words each group, and shows each file with thumbnail, size, date and folder', () => {
    const views = duplicateGroupViews(groups, known, { showRoot: false, thumbnailUri: (file) => `thumb:${file}` });
    expect(views.map((v) => [v.kind, v.title, v.detail])).toEqual([
      ['exact', 'Identical files', '2 copies of the same bytes'],
      ['near', 'Near-identical images', '2 resized or recompressed copies of one picture'],
    ]);
    expect(views[0]!.files[1]).toEqual({
      root: 'app',
      path: 'b/one.png',
      name: 'one.png',
      folder: 'b',
      bytes: 4096,
      modified: Date.UTC(2026, 10, 3),
      thumbnail: 'thumb:/index/thumbs/b/one.png.webp',
    });
    // Files gone from the index are left out; a group of one is no group.
    expect(views[1]!.files.map((f) => f.path)).toEqual(['shots/big.png', 'exports/big.jpg']);
  });
});

describe('the duplicates panel', () => {
  let root: string;
  let panel: FakeWebviewPanel;
  const log = new FakeLogOutputChannel('Sightline');

  beforeEach(async () => {
    resetFake();
    root = await fs.mkdtemp(path.join(tmpdir(), 'sightline-dupes-'));
    for (const file of ['a/one.png', 'b/one.png', 'c/one.png']) {
      await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await fs.writeFile(path.join(root, file), 'png');
    }
    fake.workspace.setFolders([{ path: root, name: 'app' }]);
    const files = ['a/one.png', 'b/one.png', 'c/one.png'];
    const service = {
      state: { kind: 'ready', files: 3, items: 3 },
      thumbnailRoot: () => Uri.file(path.join(root, '.thumbs')),
      duplicates: vi.fn(async (): Promise<DuplicateGroup[]> => [{ kind: 'exact', similarity: 1, files: files.map((p) => ({ root: 'app', path: p })) }]),
      describeFiles: async () => new Map(files.map((p) => facts(p, { thumbnail: path.join(root, '.thumbs', `${p}.webp`) }))),
    };
    await findDuplicates({ service, log, extensionUri: Uri.file('/ext') } as unknown as ExtensionServices);
    panel = fake.window.panels[0]!;
  });
  afterEach(async () => {
    panel.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  const lastGroups = () => (panel.webview.posted as DuplicatesHostMessage[]).filter((m) => m.type === 'groups').at(-1)!;

  it('shows the groups with thumbnails from the index folder, in a page that loads only its script', () => {
    expect(panel.title).toBe('Sightline: Duplicate Images');
    expect(panel.webview.html).toContain("default-src 'none'");
    expect(panel.webview.html).toContain('/ext/dist/duplicates.js');
    const groups = lastGroups();
    if (groups.type !== 'groups') throw new Error('expected groups');
    expect(groups.groups[0]!.files.map((f) => f.thumbnail)).toEqual(
      ['a', 'b', 'c'].map((d) => `https://file+.vscode-resource.vscode-cdn.net${Uri.file(path.join(root, '.thumbs', `${d}/one.png.webp`)).path}`),
    );
  });

  it('moves a file to the trash only after the user confirms, and drops it from its group', async () => {
    await panel.webview.send({ type: 'delete', root: 'app', path: 'b/one.png' });
    expect(fake.window.messages.at(-1)).toMatchObject({
      level: 'warning',
      message: 'Move b/one.png to the trash?',
      options: { modal: true },
      items: ['Move to Trash'],
    });
    expect(fake.workspace.trashed).toEqual([]);
    fake.window.answerMessage = () => 'Move to Trash';
    await panel.webview.send({ type: 'delete', root: 'app', path: 'b/one.png' });
    expect(fake.workspace.trashed).toEqual([path.join(root, 'b', 'one.png')]);
    const groups = lastGroups();
    expect(groups.type === 'groups' && groups.groups[0]!.files.map((f) => f.path)).toEqual(['a/one.png', 'c/one.png']);
  });

  it('opens beside and reveals listed files, and ignores any other path', async () => {
    await panel.webview.send({ type: 'open', root: 'app', path: 'a/one.png' });
    await panel.webview.send({ type: 'reveal', root: 'app', path: 'c/one.png' });
    fake.window.answerMessage = () => 'Move to Trash';
    await panel.webview.send({ type: 'delete', root: 'app', path: 'notes/secret.md' });
    await panel.webview.send({ type: 'delete', root: 'app', path: '../outside.png' });
    expect(fake.commands.executed.map((c) => [c.id, (c.args[0] as Uri).fsPath, c.args[1]])).toEqual([
      ['vscode.open', path.join(root, 'a', 'one.png'), { viewColumn: -2, preview: true }],
      ['revealInExplorer', path.join(root, 'c', 'one.png'), undefined],
    ]);
    expect(fake.workspace.trashed).toEqual([]);
    expect(log.text).toContain('which it did not list');
    expect(log.text).toContain('path must be relative');
  });
});
