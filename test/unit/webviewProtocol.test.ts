import { describe, expect, it } from 'vitest';
import { InvalidPanelMessage, MAX_QUERY_IMAGE_BASE64, parsePanelMessage } from '../../src/shared/panelProtocol';

/**
 * The panel is untrusted input: whatever a compromised or buggy page posts, the host only acts
 * on well-formed messages, and file paths can never leave the workspace folder.
 */

const PNG_BASE64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');
const search = (overrides: Record<string, unknown> = {}) => ({
  type: 'search',
  requestId: 3,
  text: 'login screen',
  kinds: ['image'],
  folder: '',
  ...overrides,
});

// A label for failures; never the whole message, some are tens of megabytes.
function labelOf(raw: unknown): string {
  return typeof raw === 'object' && raw !== null ? `message of type ${String((raw as { type?: unknown }).type)}` : String(raw);
}

function rejects(raw: unknown, reason?: RegExp): void {
  let thrown: unknown;
  try {
    parsePanelMessage(raw);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, labelOf(raw)).toBeInstanceOf(InvalidPanelMessage);
  if (reason) expect((thrown as Error).message).toMatch(reason);
}

describe('parsePanelMessage accepts', () => {
  it('the messages without fields, dropping anything extra', () => {
    expect(parsePanelMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parsePanelMessage({ type: 'pickImage', junk: 1 })).toEqual({ type: 'pickImage' });
    expect(parsePanelMessage({ type: 'indexWorkspace', command: 'workbench.action.terminal.new' })).toEqual({ type: 'indexWorkspace' });
  });

  it('a text search, with kinds and folder, keeping only known fields', () => {
    expect(parsePanelMessage(search({ kinds: ['image', 'pdf'], folder: 'docs', extra: 'x' }))).toEqual({
      type: 'search',
      requestId: 3,
      text: 'login screen',
      kinds: ['image', 'pdf'],
      folder: 'docs',
    });
  });

  it('a similar-images search, for an indexed-looking relative path only', () => {
    expect(parsePanelMessage(search({ text: '', similarTo: { root: 'app', path: 'shots/a.png', x: 1 } }))).toMatchObject({
      similarTo: { root: 'app', path: 'shots/a.png' },
    });
    rejects(search({ similarTo: { root: 'app', path: '../../etc/passwd' } }), /path must be relative/);
    rejects(search({ similarTo: 'shots/a.png' }), /must be an object/);
    rejects({ type: 'open', root: '', path: 'a.png', inPanelGroup: 'yes' }, /inPanelGroup/);
  });

  it('an image search', () => {
    const image = { name: 'pasted.png', mimeType: 'image/png', base64: PNG_BASE64 };
    expect(parsePanelMessage(search({ text: '', image }))).toEqual({ type: 'search', requestId: 3, text: '', kinds: ['image'], folder: '', image });
    for (const mimeType of ['image/jpeg', 'image/webp', 'image/gif']) {
      expect(parsePanelMessage(search({ image: { ...image, mimeType } }))).toMatchObject({ image: { mimeType } });
    }
    // An empty paste is well-formed; the search itself decides what to do with it.
    expect(parsePanelMessage(search({ image: { ...image, base64: '' } }))).toMatchObject({ image: { base64: '' } });
  });

  it('open with line or page, findSimilar and reveal, for workspace-relative paths', () => {
    expect(parsePanelMessage({ type: 'open', root: '', path: 'docs/guide.md', line: 12 })).toEqual({
      type: 'open',
      root: '',
      path: 'docs/guide.md',
      line: 12,
      inPanelGroup: false,
    });
    expect(parsePanelMessage({ type: 'open', root: 'web', path: 'reports/q3.pdf', page: 4, inPanelGroup: true })).toEqual({
      type: 'open',
      root: 'web',
      path: 'reports/q3.pdf',
      page: 4,
      inPanelGroup: true,
    });
    expect(parsePanelMessage({ type: 'open', root: '', path: 'a.png', line: undefined })).toEqual({
      type: 'open',
      root: '',
      path: 'a.png',
      inPanelGroup: false,
    });
    expect(parsePanelMessage({ type: 'findSimilar', root: '', path: 'images/login.png' })).toEqual({ type: 'findSimilar', root: '', path: 'images/login.png' });
    expect(parsePanelMessage({ type: 'reveal', root: '', path: 'images/login.png', extra: 1 })).toEqual({ type: 'reveal', root: '', path: 'images/login.png' });
    expect(parsePanelMessage({ type: 'setApiKey', key: 'stolen?' })).toEqual({ type: 'setApiKey' });
    // Names that merely contain dots are fine.
    expect(parsePanelMessage({ type: 'open', root: '', path: '..hidden/file..name.png' })).toMatchObject({ path: '..hidden/file..name.png' });
  });
});

describe('parsePanelMessage rejects', () => {
  it('non-objects and unknown types', () => {
    for (const raw of [undefined, null, 'ready', 42, [{ type: 'ready' }]]) rejects(raw, /must be an object/);
    rejects({}, /unknown message type/);
    rejects({ type: 'runCommand', command: 'workbench.action.terminal.new' }, /unknown message type "runCommand"/);
    rejects({ type: 'READY' }, /unknown message type/);
    rejects({ type: 'constructor' }, /unknown message type/);
  });

  it('wrong field types in a search', () => {
    rejects(search({ requestId: '3' }), /requestId/);
    rejects(search({ requestId: 1.5 }), /requestId/);
    rejects(search({ requestId: -1 }), /requestId/);
    rejects(search({ requestId: Number.MAX_SAFE_INTEGER + 2 }), /requestId/);
    rejects(search({ requestId: Number.NaN }), /requestId/);
    rejects(search({ text: 5 }), /text/);
    rejects(search({ text: undefined }), /text/);
    rejects(search({ folder: null }), /folder/);
    rejects(search({ kinds: 'image' }), /kinds/);
    rejects(search({ kinds: ['video'] }), /kind/);
    rejects(search({ kinds: [{}] }), /kind/);
    rejects(search({ image: 'data:image/png;base64,AAAA' }), /image must be an object/);
  });

  it('wrong field types in open and findSimilar', () => {
    rejects({ type: 'open', root: 1, path: 'a.png' }, /root/);
    rejects({ type: 'open', root: '', path: ['a.png'] }, /path/);
    rejects({ type: 'open', root: '', path: 'a.md', line: '12' }, /line/);
    rejects({ type: 'open', root: '', path: 'a.md', line: -3 }, /line/);
    rejects({ type: 'open', root: '', path: 'a.pdf', page: 2.5 }, /page/);
    rejects({ type: 'findSimilar', root: '', path: undefined }, /path/);
  });

  it('paths that are empty, absolute, on a drive, or climb out with ..', () => {
    const bad = [
      '',
      '../secret.png',
      'docs/../../etc/passwd',
      'docs/..',
      '..',
      'docs\\..\\..\\secret.png',
      '/etc/passwd',
      'C:\\Windows\\win.ini',
      'c:/Users/me/a.png',
      'Z:relative-on-drive.png',
    ];
    for (const path of bad) {
      rejects({ type: 'open', root: '', path }, /path must be relative/);
      rejects({ type: 'findSimilar', root: '', path }, /path must be relative/);
    }
  });

  it('oversized strings', () => {
    rejects(search({ text: 'x'.repeat(2001) }), /text is too long/);
    expect(() => parsePanelMessage(search({ text: 'x'.repeat(2000) }))).not.toThrow();
    rejects(search({ folder: 'f'.repeat(501) }), /folder is too long/);
    rejects({ type: 'open', root: 'r'.repeat(501), path: 'a.png' }, /root is too long/);
    rejects({ type: 'open', root: '', path: 'a/'.repeat(2049) + 'b.png' }, /path is too long/);
    rejects(search({ image: { name: 'n'.repeat(301), mimeType: 'image/png', base64: PNG_BASE64 } }), /image.name is too long/);
    rejects(search({ image: { name: 'big.png', mimeType: 'image/png', base64: 'A'.repeat(MAX_QUERY_IMAGE_BASE64 + 4) } }), /image.base64 is too long/);
  });

  it('images that are not base64, or not an accepted image type', () => {
    const image = { name: 'x.png', mimeType: 'image/png', base64: PNG_BASE64 };
    for (const base64 of ['data:image/png;base64,' + PNG_BASE64, 'not base64!', 'AAAA====', 'AA AA', 'AA\nAA', '<script>']) {
      rejects(search({ image: { ...image, base64 } }), /not base64/);
    }
    rejects(search({ image: { ...image, base64: 7 } }), /image.base64 must be a string/);
    for (const mimeType of ['image/svg+xml', 'text/html', 'image/PNG', '', undefined, 'application/pdf']) {
      rejects(search({ image: { ...image, mimeType } }), /image.mimeType/);
    }
    rejects(search({ image: { mimeType: 'image/png', base64: PNG_BASE64 } }), /image.name/);
  });

  it('kind arrays longer than ten entries', () => {
    expect(() => parsePanelMessage(search({ kinds: Array(10).fill('image') }))).not.toThrow();
    rejects(search({ kinds: Array(11).fill('image') }), /kinds must be a short array/);
    rejects(search({ kinds: Array(1_000_000).fill('pdf') }), /kinds must be a short array/);
  });
});
