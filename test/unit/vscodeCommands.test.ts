import { IndexMismatchError } from '../../src/core/index/store/indexErrors';
import { SharedCacheError } from '../../src/core/index/sharedCache/sharedCacheError';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IndexProgress } from '../../src/core/index/indexer/indexProgress';
import type { DuplicateGroup } from '../../src/core/index/search/duplicateImages';
import { emptyReport, type IndexReport } from '../../src/core/index/indexer/indexReport';
import { ApiKeyStore } from '../../src/vscode/apiKeyStore';
import { clearIndex, revokeConsent, showProblems } from '../../src/vscode/commands/indexMaintenanceCommands';
import { indexWorkspace } from '../../src/vscode/commands/indexWorkspaceCommand';
import type { IndexProblem } from '../../src/vscode/indexProblems';
import type { ServiceState } from '../../src/vscode/indexService';
import { MissingKeyError } from '../../src/vscode/sightlineService';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { fakeExtensionServices, fakeIndexService } from '../support/fakeVscode/fakeServices';
import { FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { FakeMemento, FakeSecretStorage } from '../support/fakeVscode/storage';
import { QuickPickItemKind } from '../support/fakeVscode/types';
import type { Uri } from '../support/fakeVscode/uri';

/**
 * Index Workspace and the maintenance commands, with the service stubbed: what the user is asked
 * and told, and that nothing is indexed without trust, a key and consent.
 */

const APP = path.join(tmpdir(), 'sightline-commands', 'app');
const ENDPOINT = 'https://openai.inference.de-txl.ionos.com/v1';

function report(overrides: Partial<IndexReport> = {}): IndexReport {
  return { ...emptyReport(), filesSeen: 3, filesIndexed: 3, itemsEmbedded: 1234, itemsReused: 5, ...overrides };
}

function makeServices(options: { key?: string; consent?: boolean } = {}) {
  const secrets = new FakeSecretStorage();
  const keys = new ApiKeyStore(secrets as unknown as vscode.SecretStorage, {});
  if (options.key) secrets.secrets.set(`sightline.apiKey:${new URL(ENDPOINT).origin}`, options.key);
  // Like the real one: granted only after the user said yes.
  let given = false;
  const consent = { ensure: vi.fn(async () => (given = options.consent ?? true)), revoke: vi.fn(async () => undefined), granted: () => given };
  const service = {
    hasWorkspace: true,
    lastReport: undefined as IndexReport | undefined,
    index: vi.fn(async (onProgress: (p: IndexProgress) => void, _token: unknown, _files?: unknown, _options?: unknown) => {
      const none = { done: 0, total: 0 };
      const base = { filesSeen: 10, filesToProcess: 4, itemsReused: 0, itemsFailed: 0, requestsPerSecond: 5 };
      const items = (markdown: number, images: number) => ({
        markdown: { done: markdown, total: 64 },
        image: { done: images, total: 620 },
        pdf: none,
        notebook: none,
      });
      onProgress({
        ...base,
        phase: 'scanning',
        filesProcessed: 0,
        scanDone: false,
        itemsEmbedded: 0,
        filesPerSecond: 0,
        items: { markdown: none, image: none, pdf: none, notebook: none },
        requestsDone: 0,
        requestsLeft: 0,
        fraction: 0,
        estimated: true,
      });
      onProgress({
        ...base,
        phase: 'indexing',
        filesProcessed: 0,
        scanDone: false,
        itemsEmbedded: 32,
        filesPerSecond: 0,
        items: items(32, 0),
        requestsDone: 1,
        requestsLeft: 621,
        fraction: 1 / 622,
        estimated: true,
        etaSeconds: 124.2,
      });
      // The walk found more: the share drops, and the bar waits rather than going back.
      onProgress({
        ...base,
        phase: 'indexing',
        filesProcessed: 1,
        scanDone: true,
        itemsEmbedded: 64,
        filesPerSecond: 1,
        items: items(64, 0),
        requestsDone: 1,
        requestsLeft: 1241,
        fraction: 1 / 1242,
        estimated: false,
        etaSeconds: 248,
      });
      onProgress({
        ...base,
        phase: 'indexing',
        filesProcessed: 2,
        scanDone: true,
        itemsEmbedded: 374,
        filesPerSecond: 1,
        items: items(64, 310),
        requestsDone: 312,
        requestsLeft: 310,
        fraction: 312 / 622,
        estimated: false,
        etaSeconds: 62,
      });
      return report();
    }),
    clear: vi.fn(async () => undefined),
    state: { kind: 'ready', files: 3, items: 9 } as ServiceState,
    problems: vi.fn(async (): Promise<IndexProblem[]> => []),
    duplicates: vi.fn(async () => [] as DuplicateGroup[]),
  };
  const workspaceState = new FakeMemento();
  const log = new FakeLogOutputChannel('Sightline');
  const services = fakeExtensionServices({ service: fakeIndexService(service), keys, consent, log, workspaceState });
  return { services, service, consent, secrets, workspaceState, log };
}

beforeEach(() => {
  resetFake();
  fake.workspace.setFolders([APP]);
});

describe('Index Workspace', () => {
  it('asks for consent, indexes with progress, remembers the first run and sums it up', async () => {
    const env = makeServices({ key: 'k' });
    const result = await indexWorkspace(env.services);
    expect(env.consent.ensure).toHaveBeenCalledTimes(1);
    expect(env.consent.ensure.mock.calls[0]).toEqual([expect.objectContaining({ endpoint: ENDPOINT }), [{ key: 'app', path: APP }], expect.anything()]);
    expect(env.service.index).toHaveBeenCalledTimes(1);
    expect(result?.itemsEmbedded).toBe(1234);
    expect(env.workspaceState.get('sightline.indexedOnce')).toBe(true);
    const indexing = fake.window.progress[1]!;
    expect(indexing.options).toMatchObject({ title: 'Sightline', cancellable: true });
    expect(indexing.reports).toEqual([
      { message: 'scanning: 10 files seen, 4 to index', increment: 0 },
      { message: '0% · markdown 32 of ~64, images 0 of ~620 · about 2 min left', increment: 100 / 622 },
      { message: '0% · markdown 64 of 64, images 0 of 620 · about 4 min left', increment: 0 },
      { message: '50% · markdown 64 of 64, images 310 of 620 · about 62 s left', increment: (312 / 622) * 100 - 100 / 622 },
    ]);
    await vi.waitFor(() => expect(fake.window.messages).toHaveLength(1));
    expect(fake.window.messages[0]).toMatchObject({
      level: 'info',
      message: 'Sightline: Indexing finished: 1,234 items embedded, 5 reused, 0 files removed.',
      items: [],
    });
    // Once answered, the question (and its counting toast) is not repeated.
    await indexWorkspace(env.services);
    expect(env.consent.ensure).toHaveBeenCalledTimes(1);
    expect(env.service.index).toHaveBeenCalledTimes(2);
  });

  it('offers the problem list when files failed', async () => {
    const env = makeServices({ key: 'k' });
    env.service.index.mockResolvedValue(report({ failed: [{ root: 'app', path: 'a.png', code: 'rejected', message: 'HTTP 400' }] }));
    fake.window.answerMessage = () => 'Show Problems';
    await indexWorkspace(env.services);
    await vi.waitFor(() => expect(fake.commands.executed.map((c) => c.id)).toEqual(['sightline.showProblems']));
    expect(fake.window.messages[0]).toMatchObject({ level: 'warning', items: ['Show Problems'] });
    expect(fake.window.messages[0]!.message).toContain(', 1 failed.');
  });

  it('does nothing in an untrusted workspace', async () => {
    const env = makeServices({ key: 'k' });
    fake.workspace.isTrusted = false;
    expect(await indexWorkspace(env.services)).toBeUndefined();
    expect(fake.window.messages.map((m) => m.message)).toEqual(['Sightline indexes only trusted workspaces: trust this workspace first.']);
    expect(env.consent.ensure).not.toHaveBeenCalled();
    expect(env.service.index).not.toHaveBeenCalled();
  });

  it('does nothing without a folder', async () => {
    const env = makeServices({ key: 'k' });
    env.service.hasWorkspace = false;
    expect(await indexWorkspace(env.services)).toBeUndefined();
    expect(fake.window.messages[0]!.message).toBe('Open a folder or workspace to index it with Sightline.');
    expect(env.service.index).not.toHaveBeenCalled();
  });

  it('asks for a key first, and stops when none is given', async () => {
    const env = makeServices();
    fake.window.answerMessage = () => 'Set API Key';
    expect(await indexWorkspace(env.services)).toBeUndefined();
    expect(fake.window.messages[0]).toMatchObject({
      level: 'warning',
      message: 'Sightline needs an API key for openai.inference.de-txl.ionos.com to index.',
      items: ['Set API Key'],
    });
    expect(fake.commands.executed.map((c) => c.id)).toEqual(['sightline.setApiKey']);
    expect(env.consent.ensure).not.toHaveBeenCalled();
  });

  it('goes on once Set API Key has stored a key', async () => {
    const env = makeServices();
    fake.window.answerMessage = () => 'Set API Key';
    fake.commands.registered.set('sightline.setApiKey', () => env.services.keys.set(ENDPOINT, 'new-key'));
    await indexWorkspace(env.services);
    expect(env.service.index).toHaveBeenCalledTimes(1);
  });

  it('does not index when consent is declined', async () => {
    const env = makeServices({ key: 'k', consent: false });
    expect(await indexWorkspace(env.services)).toBeUndefined();
    expect(env.service.index).not.toHaveBeenCalled();
    expect(env.workspaceState.get('sightline.indexedOnce')).toBeUndefined();
  });

  it('offers to rebuild an index of another model, and rebuilds only when asked', async () => {
    const env = makeServices({ key: 'k' });
    const mismatch = new IndexMismatchError({ model: 'other/model', dimensions: 'full' }, { model: 'Qwen/Qwen3-VL-Embedding-8B', dimensions: 'full' });
    env.service.index.mockRejectedValueOnce(mismatch);
    fake.window.answerMessage = (m) => (m.options?.modal ? 'Rebuild Index' : undefined);
    const result = await indexWorkspace(env.services);
    expect(fake.window.messages[0]).toMatchObject({
      level: 'warning',
      message: `Sightline: ${mismatch.message}`,
      options: { modal: true },
    });
    expect(env.service.clear).toHaveBeenCalledTimes(1);
    expect(env.service.index).toHaveBeenCalledTimes(2);
    expect(result?.itemsEmbedded).toBe(1234);

    env.service.index.mockRejectedValueOnce(mismatch);
    fake.window.answerMessage = () => undefined;
    expect(await indexWorkspace(env.services)).toBeUndefined();
    expect(env.service.clear).toHaveBeenCalledTimes(1);
  });

  it('says how many items came from the shared cache, and what it noticed about it', async () => {
    const env = makeServices({ key: 'k' });
    const sharedCache = { source: '/caches/docs.slcache', entries: 2000, skipped: 1, notes: ['1 entry of the shared cache failed the checks and was skipped'] };
    env.service.index.mockResolvedValueOnce(report({ itemsEmbedded: 3, itemsReused: 1942, itemsFromSharedCache: 1940, sharedCache }));
    await indexWorkspace(env.services);
    expect(fake.window.messages.at(-1)).toMatchObject({
      level: 'info',
      message:
        'Sightline: Indexing finished: 3 items embedded, 2 reused, 1,940 reused from the shared cache, 0 files removed. ' +
        'Shared cache: 1 entry of the shared cache failed the checks and was skipped.',
    });
  });

  it('stops before indexing when the shared cache cannot be used, and goes on without it only when asked', async () => {
    const env = makeServices({ key: 'k' });
    const refused = new SharedCacheError('refused', 'the shared cache /caches/docs.slcache is damaged: its checksum does not match its contents');
    env.service.index.mockRejectedValueOnce(refused);
    fake.window.answerMessage = () => undefined;
    expect(await indexWorkspace(env.services)).toBeUndefined();
    expect(fake.window.messages.at(-1)).toMatchObject({
      level: 'warning',
      message: 'Sightline: The shared cache /caches/docs.slcache is damaged: its checksum does not match its contents. Nothing was indexed.',
      items: ['Index Without It', 'Open Settings'],
    });
    expect(env.service.index).toHaveBeenCalledTimes(1);

    env.service.index.mockRejectedValueOnce(refused);
    fake.window.answerMessage = (m) => (m.level === 'warning' ? 'Index Without It' : undefined);
    const result = await indexWorkspace(env.services);
    expect(result?.itemsEmbedded).toBe(1234);
    expect(env.service.index).toHaveBeenCalledTimes(3);
    expect(env.service.index.mock.calls[2]![3]).toEqual({ withoutSharedCache: true });
  });

  it('shows other failures as errors', async () => {
    const env = makeServices({ key: 'k' });
    env.service.index.mockRejectedValueOnce(new MissingKeyError(ENDPOINT));
    await indexWorkspace(env.services);
    env.service.index.mockRejectedValueOnce(new Error('disk full'));
    await indexWorkspace(env.services);
    expect(fake.window.messages.map((m) => [m.level, m.message])).toEqual([
      ['error', 'No API key is set for openai.inference.de-txl.ionos.com. Run "Sightline: Set API Key" first.'],
      ['error', 'Sightline: disk full'],
    ]);
  });
});

describe('maintenance commands', () => {
  it('clears the index only after a modal confirmation', async () => {
    const env = makeServices();
    await clearIndex(env.services);
    expect(env.service.clear).not.toHaveBeenCalled();
    expect(fake.window.messages[0]!.options).toEqual({ modal: true });
    fake.window.answerMessage = () => 'Clear Index';
    await clearIndex(env.services);
    expect(env.service.clear).toHaveBeenCalledTimes(1);
  });

  it('revokes consent and says so', async () => {
    const env = makeServices();
    await revokeConsent(env.services);
    expect(env.consent.revoke).toHaveBeenCalledTimes(1);
    expect(fake.window.messages[0]!.message).toBe('Sightline will ask again before sending files from this workspace.');
  });

  it('lists errors, warnings and skipped files apart, reveals a file and opens a warning at its line', async () => {
    const env = makeServices();
    env.service.state = { kind: 'empty' };
    await showProblems(env.services);
    expect(fake.window.messages[0]!.message).toBe('Sightline: index this workspace first; its problems are listed here afterwards.');
    env.service.state = { kind: 'ready', files: 3, items: 9 };
    await showProblems(env.services);
    expect(fake.window.messages[1]!.message).toBe('Sightline: the index has no problems.');
    env.service.problems.mockResolvedValue([
      { root: 'app', path: 'bad.png', code: 'rejected', message: 'HTTP 400: cannot read image', severity: 'failure' },
      { root: 'app', path: 'docs/notes.md', code: 'missing-image', message: 'shot.png is not a file in the workspace folder', line: 7, severity: 'warning' },
      { root: 'app', path: 'huge.pdf', code: 'too-large', message: 'over 200 MB', severity: 'skipped' },
    ]);
    fake.window.answerQuickPick = (items) => items[5];
    await showProblems(env.services);
    const shown = fake.window.quickPicks[0]!;
    expect(shown.items.map((i) => [(i as vscode.QuickPickItem).kind ?? QuickPickItemKind.Default, (i as vscode.QuickPickItem).label])).toEqual([
      [QuickPickItemKind.Separator, 'Errors: not searchable (1)'],
      [QuickPickItemKind.Default, '$(error) bad.png'],
      [QuickPickItemKind.Separator, 'Warnings: indexed, with a caveat (1)'],
      [QuickPickItemKind.Default, '$(warning) docs/notes.md:7'],
      [QuickPickItemKind.Separator, 'Skipped on purpose (1)'],
      [QuickPickItemKind.Default, '$(info) huge.pdf'],
    ]);
    expect(shown.options).toMatchObject({ title: 'Sightline: 1 error, 1 warning, 1 skipped' });
    expect(fake.commands.executed).toHaveLength(1);
    expect(fake.commands.executed[0]!.id).toBe('revealInExplorer');
    expect((fake.commands.executed[0]!.args[0] as Uri).fsPath).toBe(path.join(APP, 'huge.pdf'));

    fake.window.answerQuickPick = (items) => items[3];
    await showProblems(env.services);
    const opened = fake.window.documents.at(-1)!;
    expect(opened.uri.fsPath).toBe(path.join(APP, 'docs/notes.md'));
    expect(opened.options?.selection?.start.line).toBe(6);
  });
});
