import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchOptions, SearchQuery, SearchResponse, SearchResult } from '../../src/core/index/search/searchTypes';
import type { ExtensionServices } from '../../src/vscode/extensionServices';
import { PANEL_VIEW_TYPE, SearchPanel } from '../../src/vscode/searchPanel';
import type { ServiceState } from '../../src/vscode/sightlineService';
import { type HostMessage, MAX_QUERY_IMAGE_BASE64, MAX_QUERY_IMAGE_BYTES } from '../../src/shared/panelProtocol';
import { EventEmitter } from '../support/fakeVscode/events';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { Uri } from '../support/fakeVscode/uri';
import { FakeWebviewPanel } from '../support/fakeVscode/webviewPanel';

/**
 * The panel host with a fake webview: it validates what the page sends, only opens files of
 * the index, answers each search with the page's request id, and drops answers a newer search
 * has made stale.
 */

const ROOT = path.join(tmpdir(), 'sightline-panel-ws');
const EXTENSION = path.join(tmpdir(), 'sightline-extension');
const THUMBS = path.join(tmpdir(), 'sightline-index', 'thumbs');

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function result(overrides: Partial<SearchResult> = {}): SearchResult {
  return { root: 'app', path: 'images/login.png', kind: 'image', part: 'image', score: 0.81, ...overrides };
}

function makeServices() {
  const states = new EventEmitter<ServiceState>();
  const service = {
    state: { kind: 'ready', files: 3, items: 1200 } as ServiceState,
    onDidChangeState: states.event,
    search: vi.fn(async (_query: SearchQuery, _options: SearchOptions): Promise<SearchResponse> => ({ results: [], mode: 'hybrid' })),
    isIndexed: vi.fn(async (_root: string, _path: string) => true),
    thumbnailRoot: () => Uri.file(THUMBS),
  };
  const log = new FakeLogOutputChannel('Sightline');
  const services = { service, log, extensionUri: Uri.file(EXTENSION) } as unknown as ExtensionServices;
  return { services, service, states, log };
}

let env: ReturnType<typeof makeServices>;
let host: SearchPanel;
let panel: FakeWebviewPanel;

const posted = () => panel.webview.posted as HostMessage[];
const send = (message: unknown) => panel.webview.send(message);

beforeEach(() => {
  resetFake();
  fake.workspace.setFolders([{ path: ROOT, name: 'app' }]);
  env = makeServices();
  host = SearchPanel.show(env.services);
  panel = fake.window.panels[0]!;
});
afterEach(() => {
  host.dispose();
});

describe('SearchPanel', () => {
  it('opens one panel with scripts limited to the extension and the thumbnails, and reveals it again', () => {
    expect(panel.viewType).toBe(PANEL_VIEW_TYPE);
    expect(panel.webview.options).toMatchObject({ enableScripts: true });
    const roots = (panel.webview.options.localResourceRoots as Uri[]).map((uri) => uri.fsPath);
    expect(roots).toEqual([path.join(EXTENSION, 'dist'), path.join(EXTENSION, 'media'), THUMBS]);
    expect(panel.webview.html).toContain("default-src 'none'");
    expect(panel.webview.html).toContain('data-folders="[&quot;app&quot;]"');
    expect(SearchPanel.show(env.services)).toBe(host);
    expect(fake.window.panels).toHaveLength(1);
    expect(panel.revealCount).toBe(1);
  });

  it('ignores and logs invalid messages without acting on them', async () => {
    await send({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    await send({ type: 'open', root: 'app', path: '../../.ssh/id_rsa' });
    await send({ type: 'open', root: 'app', path: '/etc/passwd' });
    await send({ type: 'search', requestId: 'x', text: 'a', kinds: [], folder: '' });
    await send('ready');
    const warnings = env.log.lines.filter((line) => line.level === 'warn').map((line) => line.message);
    expect(warnings).toHaveLength(5);
    for (const warning of warnings) expect(warning).toMatch(/^Ignored an invalid message from the search panel: /);
    expect(warnings[0]).toContain('unknown message type "runCommand"');
    expect(warnings[1]).toContain('path must be relative');
    expect(posted()).toEqual([]);
    expect(env.service.search).not.toHaveBeenCalled();
    expect(env.service.isIndexed).not.toHaveBeenCalled();
    expect(fake.commands.executed).toEqual([]);
    expect(fake.window.messages).toEqual([]);
  });

  it('refuses to open or search from a file that is not in the index', async () => {
    env.service.isIndexed.mockResolvedValue(false);
    await send({ type: 'open', root: 'app', path: 'notes/private.md', line: 3 });
    await send({ type: 'findSimilar', root: 'app', path: 'secret.png' });
    expect(env.service.isIndexed.mock.calls).toEqual([
      ['app', 'notes/private.md'],
      ['app', 'secret.png'],
    ]);
    expect(env.log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'The search panel asked for notes/private.md, which is not in the index.',
      'The search panel asked for secret.png, which is not in the index.',
    ]);
    expect(fake.commands.executed).toEqual([]);
    expect(fake.window.documents).toEqual([]);
    expect(env.service.search).not.toHaveBeenCalled();
  });

  it('opens an indexed markdown result at its line', async () => {
    await send({ type: 'open', root: 'app', path: 'docs/guide.md', line: 12 });
    expect(fake.window.documents).toHaveLength(1);
    expect(fake.window.documents[0]!.uri.fsPath).toBe(path.join(ROOT, 'docs', 'guide.md'));
    expect(fake.window.documents[0]!.options?.selection?.start).toEqual({ line: 11, character: 0 });
  });

  it('answers a search with results under the same request id', async () => {
    env.service.search.mockResolvedValue({
      mode: 'hybrid',
      notice: 'partial',
      results: [
        result({ thumbnailPath: path.join(THUMBS, 'ab.webp') }),
        result({ kind: 'markdown', part: 'section', path: 'docs/guide.md', line: 5, headingPath: ['Guide', 'Login'], snippet: 'The login screen…' }),
        result({ kind: 'pdf', part: 'page-image', path: 'reports/q3.pdf', page: 2 }),
      ],
    });
    await send({ type: 'search', requestId: 7, text: '  login screen ', kinds: ['image', 'markdown'], folder: 'app' });
    expect(env.service.search).toHaveBeenCalledTimes(1);
    const [query, options] = env.service.search.mock.calls[0]!;
    expect(query).toEqual({ text: 'login screen' });
    expect(options).toMatchObject({ top: 60, filters: { kinds: ['image', 'markdown'], root: 'app' } });
    expect(options.signal).toBeInstanceOf(AbortSignal);
    expect(posted()).toHaveLength(1);
    const answer = posted()[0]!;
    expect(answer).toMatchObject({ type: 'results', requestId: 7, notice: 'partial', queryLabel: '“login screen”' });
    if (answer.type !== 'results') throw new Error('expected results');
    expect(answer.results[0]).toEqual({
      id: '0',
      root: 'app',
      path: 'images/login.png',
      kind: 'image',
      part: 'image',
      score: 0.81,
      thumbnail: `https://file+.vscode-resource.vscode-cdn.net${Uri.file(path.join(THUMBS, 'ab.webp')).path}`,
    });
    expect(answer.results[1]).toMatchObject({ id: '1', line: 5, heading: 'Guide › Login', snippet: 'The login screen…' });
    expect(answer.results[2]).toMatchObject({ id: '2', page: 2, heading: 'page 2' });
  });

  it('searches all kinds and folders when none is picked, and passes a query image as bytes', async () => {
    const bytes = Buffer.from('not really a png');
    await send({ type: 'search', requestId: 1, text: '', kinds: [], folder: '', image: { name: 'shot.png', mimeType: 'image/png', base64: bytes.toString('base64') } });
    const [query, options] = env.service.search.mock.calls[0]!;
    expect(query.text).toBeUndefined();
    expect(Buffer.from(query.imageBytes!)).toEqual(bytes);
    expect(options.filters).toEqual({ kinds: undefined, root: undefined });
    expect(posted()[0]).toMatchObject({ type: 'results', requestId: 1, queryLabel: 'image shot.png' });
  });

  it('does not post the answer of a search that a newer one cancelled', async () => {
    const first = deferred<SearchResponse>();
    const signals: AbortSignal[] = [];
    env.service.search.mockImplementation(async (query, options) => {
      signals.push(options.signal!);
      return query.text === 'first' ? first.promise : { mode: 'hybrid', results: [result({ path: 'second.png' })] };
    });
    const firstHandled = send({ type: 'search', requestId: 1, text: 'first', kinds: [], folder: '' });
    await send({ type: 'search', requestId: 2, text: 'second', kinds: [], folder: '' });
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);
    first.resolve({ mode: 'hybrid', results: [result({ path: 'first.png' })] });
    await firstHandled;
    expect(posted().map((m) => (m.type === 'results' ? m.requestId : m.type))).toEqual([2]);
  });

  it('reports a failed search under its request id, but not one that was cancelled', async () => {
    env.service.search.mockRejectedValueOnce(new Error('HTTP 503 from embed.example.com'));
    await send({ type: 'search', requestId: 4, text: 'a', kinds: [], folder: '' });
    expect(posted()).toEqual([{ type: 'searchFailed', requestId: 4, message: 'HTTP 503 from embed.example.com' }]);

    const stale = deferred<SearchResponse>();
    env.service.search.mockImplementationOnce(() => stale.promise);
    const handled = send({ type: 'search', requestId: 5, text: 'b', kinds: [], folder: '' });
    await send({ type: 'search', requestId: 6, text: 'c', kinds: [], folder: '' });
    stale.reject(new Error('aborted'));
    await handled;
    expect(posted().map((m) => m.type)).toEqual(['searchFailed', 'results']);
  });

  it('sends the state on ready and whenever it changes', async () => {
    await send({ type: 'ready' });
    env.states.fire({ kind: 'indexing' });
    env.states.fire({ kind: 'error', message: 'HTTP 401' });
    env.states.fire({ kind: 'empty' });
    expect(posted()).toEqual([
      { type: 'status', state: 'ready', message: '1,200 items indexed.', folders: ['app'] },
      { type: 'status', state: 'indexing', message: 'Indexing…', folders: ['app'] },
      { type: 'status', state: 'error', message: 'HTTP 401', folders: ['app'] },
      { type: 'status', state: 'empty', message: 'This workspace is not indexed yet.', folders: ['app'] },
    ]);
  });

  it('finds images similar to an indexed one and answers with request id -1', async () => {
    env.service.search.mockResolvedValue({ mode: 'vector', results: [result({ path: 'images/other.png' })] });
    await send({ type: 'findSimilar', root: 'app', path: 'images/login.png' });
    const [query, options] = env.service.search.mock.calls[0]!;
    expect(query).toEqual({ similarTo: { root: 'app', path: 'images/login.png' } });
    expect(options.filters).toEqual({ kinds: ['image'], root: undefined });
    expect(posted()[0]).toEqual({ type: 'setQuery', text: '', similarTo: { root: 'app', path: 'images/login.png' } });
    expect(posted()[1]).toMatchObject({ type: 'results', requestId: -1, queryLabel: 'images like login.png' });
  });

  it('answers a search whose pasted image is over the limit, so the panel does not wait forever', async () => {
    const image = { name: 'huge.png', mimeType: 'image/png', base64: 'A'.repeat(MAX_QUERY_IMAGE_BASE64 + 4) };
    await send({ type: 'search', requestId: 7, text: '', kinds: [], folder: '', image });
    expect(posted()).toEqual([{ type: 'searchFailed', requestId: 7, message: 'Sightline could not run this search: image.base64 is too long.' }]);
    expect(env.service.search).not.toHaveBeenCalled();
  });

  it('says why it does not use a picked image over the limit', async () => {
    const dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-pick-'));
    const file = path.join(dir, 'poster.png');
    await fs.writeFile(file, Buffer.alloc(MAX_QUERY_IMAGE_BYTES + 1));
    try {
      fake.window.openDialogAnswer = [Uri.file(file)];
      await send({ type: 'pickImage' });
      expect(posted()).toEqual([]);
      expect(fake.window.messages.map((m) => m.message)).toEqual([expect.stringMatching(/^Sightline: poster\.png is 21\.0 MB; Sightline searches by images of up to 21\.0 MB\./)]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a picked image and hands it to the page', async () => {
    const dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-pick-'));
    const file = path.join(dir, 'Query.JPG');
    await fs.writeFile(file, Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    try {
      fake.window.openDialogAnswer = [Uri.file(file)];
      await send({ type: 'pickImage' });
      expect(posted()).toEqual([{ type: 'queryImage', image: { name: 'Query.JPG', mimeType: 'image/jpeg', base64: '/9j/4A==' } }]);
      fake.window.openDialogAnswer = undefined;
      await send({ type: 'pickImage' });
      expect(posted()).toHaveLength(1);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('runs Index Workspace through its command', async () => {
    await send({ type: 'indexWorkspace' });
    expect(fake.commands.executed).toEqual([{ id: 'sightline.indexWorkspace', args: [] }]);
  });

  it('shows an error notification when handling a valid message fails', async () => {
    env.service.isIndexed.mockRejectedValue(new Error('the index is damaged'));
    await send({ type: 'open', root: 'app', path: 'a.png' });
    expect(fake.window.messages).toMatchObject([{ level: 'error', message: 'Sightline: the index is damaged' }]);
  });

  it('lets go of everything when the user closes it, and aborts a search in flight', async () => {
    const pending = deferred<SearchResponse>();
    let signal: AbortSignal | undefined;
    env.service.search.mockImplementation((_query, options) => ((signal = options.signal), pending.promise));
    const handled = send({ type: 'search', requestId: 1, text: 'a', kinds: [], folder: '' });
    await vi.waitFor(() => expect(signal).toBeDefined());
    panel.dispose();
    expect(signal!.aborted).toBe(true);
    expect(env.states.listenerCount).toBe(0);
    pending.resolve({ mode: 'hybrid', results: [] });
    await handled;
    expect(posted()).toEqual([]);
    host = SearchPanel.show(env.services);
    expect(fake.window.panels).toHaveLength(2);
  });

  it('restores a panel VS Code kept across a restart', () => {
    host.dispose();
    const restored = new FakeWebviewPanel(PANEL_VIEW_TYPE, 'Sightline Search', -1);
    SearchPanel.revive(restored as never, env.services);
    expect(restored.webview.options).toMatchObject({ enableScripts: true });
    expect(restored.webview.html).toContain("default-src 'none'");
    host = SearchPanel.show(env.services);
    expect(fake.window.panels).toHaveLength(1);
    expect(restored.revealCount).toBe(1);
  });
});
