import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchOptions, SearchQuery, SearchResponse, SearchResult } from '../../src/core/index/search/searchTypes';
import { PANEL_VIEW_TYPE, SearchPanel } from '../../src/vscode/searchPanel';
import type { ServiceState } from '../../src/vscode/indexService';
import { type HostMessage, MAX_QUERY_IMAGE_BASE64, MAX_QUERY_IMAGE_BYTES } from '../../src/shared/panelProtocol';
import { fakeExtensionServices, fakeIndexService, fakeServiceStates } from '../support/fakeVscode/fakeServices';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { FakeSecretStorage } from '../support/fakeVscode/storage';
import { Uri } from '../support/fakeVscode/uri';
import { FakeWebviewPanel } from '../support/fakeVscode/webviewPanel';

/**
 * The panel host with a fake webview: it validates what the page sends, only opens files of
 * the index, answers each search with the page's request id, drops answers a newer search has
 * made stale, and gets a Find Similar query to the page whether the panel was closed, hidden
 * (its page discarded) or in view.
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
  const states = fakeServiceStates();
  const secrets = new FakeSecretStorage();
  const service = {
    state: { kind: 'ready', files: 3, items: 1200 } as ServiceState,
    onDidChangeState: states.event,
    search: vi.fn(async (_query: SearchQuery, _options: SearchOptions): Promise<SearchResponse> => ({ results: [], mode: 'hybrid' })),
    isIndexed: vi.fn(async (_root: string, _path: string) => true),
    hasKey: vi.fn(async () => true),
    imageThumbnail: vi.fn(async (_root: string, _path: string): Promise<string | undefined> => path.join(THUMBS, 'query.webp')),
    thumbnailRoot: () => Uri.file(THUMBS),
  };
  const log = new FakeLogOutputChannel('Sightline');
  const services = fakeExtensionServices({ service: fakeIndexService(service), secrets, log, extensionUri: Uri.file(EXTENSION) });
  return { services, service, states, secrets, log };
}

const READY_STATUS = { index: 'ready', message: '1,200 items indexed.', folders: ['app'], hasKey: true };
const thumbUri = (file: string) => `https://file+.vscode-resource.vscode-cdn.net${Uri.file(file).path}`;

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
    expect(answer).toMatchObject({ type: 'results', requestId: 7, notice: 'partial', heading: { label: '“login screen”' } });
    expect(answer).not.toHaveProperty('noticeAction');
    if (answer.type !== 'results') throw new Error('expected results');
    expect(answer.results[0]).toEqual({
      id: '0',
      root: 'app',
      path: 'images/login.png',
      kind: 'image',
      part: 'image',
      label: 'login.png',
      title: 'login.png',
      folder: 'images',
      score: 0.81,
      thumbnail: thumbUri(path.join(THUMBS, 'ab.webp')),
      more: [],
    });
    expect(answer.results[1]).toMatchObject({ id: '1', line: 5, title: 'guide.md', folder: 'docs', where: 'Guide › Login', snippet: 'The login screen…' });
    expect(answer.results[2]).toMatchObject({ id: '2', page: 2, title: 'q3.pdf - page 2', folder: 'reports' });
    expect(answer.results[2]).not.toHaveProperty('where');
  });

  it("keeps a file's other matches under it, one per place, and says where the weak results start", async () => {
    env.service.search.mockResolvedValue({
      mode: 'hybrid',
      results: [
        result({
          kind: 'pdf',
          part: 'page-text',
          path: 'manual.pdf',
          page: 2,
          score: 0.7,
          others: [
            result({ kind: 'pdf', part: 'page-image', path: 'manual.pdf', page: 2, score: 0.6, thumbnailPath: path.join(THUMBS, 'p2.webp') }),
            result({ kind: 'pdf', part: 'page-image', path: 'manual.pdf', page: 3, score: 0.5, thumbnailPath: path.join(THUMBS, 'p3.webp') }),
            result({ kind: 'pdf', part: 'page-text', path: 'manual.pdf', page: 1, score: 0.45 }),
          ],
        }),
        result({ path: 'a.png', score: 0.5 }),
        result({ path: 'b.png', score: 0.45 }),
        result({ path: 'c.png', score: 0.3 }),
      ],
    });
    await send({ type: 'search', requestId: 3, text: 'manual', kinds: [], folder: '' });
    const answer = posted()[0]!;
    if (answer.type !== 'results') throw new Error('expected results');
    // Page 2 by its text and by its picture is one place, with the picture's thumbnail.
    expect(answer.results[0]).toMatchObject({ id: '0', page: 2, title: 'manual.pdf - page 2', score: 0.7, thumbnail: thumbUri(path.join(THUMBS, 'p2.webp')) });
    expect(answer.results[0]!.more.map((m) => [m.id, m.label, m.page, m.score])).toEqual([
      ['0.1', 'page 3', 3, 0.5],
      ['0.2', 'page 1', 1, 0.45],
    ]);
    // 0.3 is under 60% of the best (0.7): it and what follows are the weaker results.
    expect(answer.weakFrom).toBe(3);
  });

  it('offers Set API Key with the notice when the key is what is missing', async () => {
    env.service.hasKey.mockResolvedValue(false);
    env.service.search.mockResolvedValue({
      mode: 'lexical',
      notice: 'Showing text matches only: no API key is set, so the query was not embedded.',
      results: [],
    });
    await send({ type: 'search', requestId: 1, text: 'a', kinds: [], folder: '' });
    expect(posted()[0]).toMatchObject({ type: 'results', noticeAction: 'setApiKey' });
    await send({ type: 'setApiKey' });
    expect(fake.commands.executed).toEqual([{ id: 'sightline.setApiKey', args: [] }]);
  });

  it('searches all kinds and folders when none is picked, and passes a query image as bytes', async () => {
    const bytes = Buffer.from('not really a png');
    await send({
      type: 'search',
      requestId: 1,
      text: '',
      kinds: [],
      folder: '',
      image: { name: 'shot.png', mimeType: 'image/png', base64: bytes.toString('base64') },
    });
    const [query, options] = env.service.search.mock.calls[0]!;
    expect(query.text).toBeUndefined();
    expect(Buffer.from(query.imageBytes!)).toEqual(bytes);
    expect(options.filters).toEqual({ kinds: undefined, root: undefined });
    expect(posted()[0]).toMatchObject({ type: 'results', requestId: 1, heading: { label: 'image shot.png' } });
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

  it('answers ready with the state, and sends it again whenever it or the key changes', async () => {
    await send({ type: 'ready' });
    const next = async (change: () => void) => {
      const count = posted().length;
      change();
      await vi.waitFor(() => expect(posted()).toHaveLength(count + 1));
    };
    // As the service does: the state changes, then the event fires.
    const fire = (state: ServiceState) => {
      env.service.state = state;
      env.states.fire(state);
    };
    await next(() => fire({ kind: 'indexing' }));
    env.service.hasKey.mockResolvedValue(false);
    await next(() => fire({ kind: 'error', message: 'HTTP 401' }));
    await next(() => fire({ kind: 'empty' }));
    env.service.hasKey.mockResolvedValue(true);
    await next(() => env.secrets.store('sightline.apiKey:https://example.com', 'new-key'));
    expect(posted()).toEqual([
      { type: 'init', status: READY_STATUS },
      { type: 'status', status: { index: 'indexing', message: 'Indexing…', folders: ['app'], hasKey: true } },
      { type: 'status', status: { index: 'error', message: 'HTTP 401', folders: ['app'], hasKey: false } },
      {
        type: 'status',
        status: { index: 'empty', message: 'Index this workspace first: Sightline searches what it has indexed.', folders: ['app'], hasKey: false },
      },
      {
        type: 'status',
        status: { index: 'empty', message: 'Index this workspace first: Sightline searches what it has indexed.', folders: ['app'], hasKey: true },
      },
    ]);
  });

  it('runs a similar-images search for the page, with the query image for its heading', async () => {
    env.service.search.mockResolvedValue({ mode: 'vector', results: [result({ path: 'images/other.png' })] });
    await send({ type: 'search', requestId: 9, text: '', kinds: [], folder: 'app', similarTo: { root: 'app', path: 'images/login.png' } });
    const [query, options] = env.service.search.mock.calls[0]!;
    expect(query).toEqual({ similarTo: { root: 'app', path: 'images/login.png' } });
    expect(options.filters).toEqual({ kinds: ['image'], root: undefined });
    expect(posted()[0]).toMatchObject({
      type: 'results',
      requestId: 9,
      heading: {
        label: 'images like login.png',
        similarTo: { name: 'login.png', path: 'images/login.png', thumbnail: thumbUri(path.join(THUMBS, 'query.webp')) },
      },
    });
  });

  describe('Find Similar, whatever state the panel is in', () => {
    const similar = { type: 'runQuery', query: { text: '', similarTo: { root: 'app', path: 'images/login.png' } } };

    it('in view: hands the query to the page at once', async () => {
      await send({ type: 'ready' });
      await SearchPanel.show(env.services).showSimilar('app', 'images/login.png');
      expect(posted()).toEqual([{ type: 'init', status: READY_STATUS }, similar]);
    });

    it('closed: the new panel gets it in its answer to ready', async () => {
      host.dispose();
      host = SearchPanel.show(env.services);
      await host.showSimilar('app', 'images/login.png');
      panel = fake.window.panels[1]!;
      expect(posted()).toEqual([]);
      await send({ type: 'ready' });
      expect(posted()).toEqual([{ type: 'init', status: READY_STATUS, query: similar.query }]);
    });

    it('hidden behind another tab: waits for the reloaded page instead of posting into the void', async () => {
      await send({ type: 'ready' });
      panel.hide();
      await host.showSimilar('app', 'images/login.png');
      // reveal() brought it forward; its page is loading again, nothing was lost in the meantime.
      expect(panel.visible).toBe(true);
      expect(panel.webview.dropped).toEqual([]);
      await send({ type: 'ready' });
      expect(posted()).toEqual([
        { type: 'init', status: READY_STATUS },
        { type: 'init', status: READY_STATUS, query: similar.query },
      ]);
      // Delivered once: a later reload restores the page's own state.
      panel.hide();
      panel.reveal();
      await send({ type: 'ready' });
      expect(posted()[2]).toEqual({ type: 'init', status: READY_STATUS });
    });

    it('from the page itself (S on a result), for indexed files only', async () => {
      await send({ type: 'ready' });
      await send({ type: 'findSimilar', root: 'app', path: 'images/login.png' });
      expect(posted()[1]).toEqual(similar);
    });
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
      expect(fake.window.messages.map((m) => m.message)).toEqual([
        expect.stringMatching(/^Sightline: poster\.png is 21\.0 MB; Sightline searches by images of up to 21\.0 MB\./),
      ]);
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

  it('opens a result beside the panel, or in its group for Ctrl+Enter, and reveals one in the explorer', async () => {
    panel.viewColumn = 1;
    await send({ type: 'open', root: 'app', path: 'docs/guide.md', line: 3, inPanelGroup: false });
    await send({ type: 'open', root: 'app', path: 'docs/guide.md', line: 3, inPanelGroup: true });
    expect(fake.window.documents.map((d) => d.options?.viewColumn)).toEqual([-2, 1]);
    await send({ type: 'reveal', root: 'app', path: 'images/login.png' });
    expect(fake.commands.executed.map((c) => [c.id, (c.args[0] as Uri).fsPath])).toEqual([['revealInExplorer', path.join(ROOT, 'images', 'login.png')]]);
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
