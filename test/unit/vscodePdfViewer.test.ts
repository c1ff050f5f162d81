import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PDF_VIEWER_TYPE, PdfViewerProvider } from '../../src/vscode/pdfViewer/pdfViewerProvider';
import type { ViewerHostMessage } from '../../src/shared/pdfViewerProtocol';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { Uri } from '../support/fakeVscode/uri';
import { FakeWebviewPanel } from '../support/fakeVscode/webviewPanel';
import { reportPdf, reportTitle } from '../support/fixtures/pdfFixtures';

/**
 * The PDF page viewer's host: it opens at the page a search result names (or the one asked for
 * while it is open), draws what its page asks for, copies a page's text, and offers only the
 * PDF editors that are installed. Everything the page sends is validated.
 */

let dir: string;
let pdfPath: string;
let registration: vscode.Disposable;
let log: FakeLogOutputChannel;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-viewer-'));
  pdfPath = path.join(dir, 'manual.pdf');
  await fs.writeFile(pdfPath, reportPdf(3));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  resetFake();
  fake.workspace.setFolders([dir]);
  log = new FakeLogOutputChannel('Sightline');
  registration = PdfViewerProvider.register(Uri.file('/ext'), log as unknown as vscode.LogOutputChannel);
});
afterEach(() => registration.dispose());

type Provider = vscode.CustomReadonlyEditorProvider;

/** What VS Code does for vscode.openWith: a document, then a webview panel for it. */
async function resolveEditor(uri = Uri.file(pdfPath)): Promise<FakeWebviewPanel> {
  const provider = fake.window.customEditors.get(PDF_VIEWER_TYPE)!.provider as Provider;
  const document = await provider.openCustomDocument(uri, { backupId: undefined, untitledDocumentData: undefined }, undefined as never);
  const panel = new FakeWebviewPanel(PDF_VIEWER_TYPE, 'manual.pdf', 1);
  await provider.resolveCustomEditor(document, panel as unknown as vscode.WebviewPanel, undefined as never);
  return panel;
}

const posted = (panel: FakeWebviewPanel) => panel.webview.posted as ViewerHostMessage[];

describe('PDF page viewer', () => {
  it('is registered as an option for PDFs, with a strict page that loads only its own script', async () => {
    expect(fake.window.customEditors.get(PDF_VIEWER_TYPE)!.options).toEqual({ supportsMultipleEditorsPerDocument: true });
    const panel = await resolveEditor();
    expect(panel.webview.options).toMatchObject({ enableScripts: true });
    expect(panel.webview.html).toContain("default-src 'none'");
    expect(panel.webview.html).toContain('/ext/dist/pdfViewer.js');
  });

  it('opens at the page a result names, and draws the page it is asked for, with its text', async () => {
    await PdfViewerProvider.openAt(Uri.file(pdfPath), 3, -2);
    expect(fake.commands.executed.map((c) => [c.id, (c.args[0] as Uri).fsPath, c.args[1], c.args[2]])).toEqual([
      ['vscode.openWith', pdfPath, PDF_VIEWER_TYPE, { viewColumn: -2, preview: true }],
    ]);
    const panel = await resolveEditor();
    await panel.webview.send({ type: 'ready' });
    expect(posted(panel)[0]).toEqual({ type: 'document', name: 'manual.pdf', pageCount: 3, page: 3, alternatives: [] });
    await panel.webview.send({ type: 'render', requestId: 1, page: 3, width: 400 });
    const page = posted(panel)[1]!;
    if (page.type !== 'page') throw new Error(`expected a page, got ${page.type}`);
    expect(page).toMatchObject({ requestId: 1, page: 3, width: 400, widthPt: 612, heightPt: 792 });
    expect((await sharp(Buffer.from(page.png)).metadata()).width).toBe(400);
    expect(page.runs.map((r) => r.text).join(' ')).toContain('Quarterly throughput report');
  });

  it('goes to the page of a second result in the viewer already open', async () => {
    const panel = await resolveEditor();
    await panel.webview.send({ type: 'ready' });
    await PdfViewerProvider.openAt(Uri.file(pdfPath), 2);
    expect(fake.commands.executed).toEqual([]);
    expect(posted(panel).at(-1)).toEqual({ type: 'goToPage', page: 2 });
    expect(panel.revealCount).toBe(1);
    // A reloaded page (the tab was hidden) starts again at that page.
    await panel.webview.send({ type: 'ready' });
    expect(posted(panel).at(-1)).toMatchObject({ type: 'document', page: 2 });
  });

  it('answers only the latest of several draws asked for in a row', async () => {
    const panel = await resolveEditor();
    await Promise.all([1, 2, 3].map((n) => panel.webview.send({ type: 'render', requestId: n, page: n, width: 200 })));
    const pages = posted(panel).filter((m) => m.type === 'page');
    expect(pages.map((m) => m.type === 'page' && m.requestId)).toEqual([3]);
  });

  it("copies the page's text to the clipboard", async () => {
    const panel = await resolveEditor();
    await panel.webview.send({ type: 'copyText', page: 2 });
    expect(fake.environment.clipboard).toContain(reportTitle(2));
    expect(posted(panel).at(-1)).toEqual({ type: 'copied', page: 2, characters: fake.environment.clipboard.length });
  });

  it('says what went wrong with a page that does not exist, or a file that is not a PDF', async () => {
    const panel = await resolveEditor();
    await panel.webview.send({ type: 'render', requestId: 5, page: 9, width: 200 });
    expect(posted(panel).at(-1)).toEqual({ type: 'failed', requestId: 5, message: 'There is no page 9' });
    const broken = path.join(dir, 'broken.pdf');
    await fs.writeFile(broken, 'not a pdf');
    const other = await resolveEditor(Uri.file(broken));
    await other.webview.send({ type: 'ready' });
    expect(posted(other)).toEqual([{ type: 'failed', message: 'The file is not a readable PDF' }]);
  });

  it('offers installed PDF editors, and opens only those', async () => {
    fake.environment.installed = [
      {
        id: 'someone.pdf-preview',
        packageJSON: {
          displayName: 'PDF Preview',
          contributes: { customEditors: [{ viewType: 'pdf.preview', displayName: 'PDF Preview', selector: [{ filenamePattern: '*.{pdf,PDF}' }] }] },
        },
      },
      { id: 'someone.images', packageJSON: { contributes: { customEditors: [{ viewType: 'image.view', selector: [{ filenamePattern: '*.png' }] }] } } },
      { id: 'sightline.sightline', packageJSON: { contributes: { customEditors: [{ viewType: PDF_VIEWER_TYPE, selector: [{ filenamePattern: '*.pdf' }] }] } } },
    ];
    const panel = await resolveEditor();
    await panel.webview.send({ type: 'ready' });
    expect(posted(panel)[0]).toMatchObject({ alternatives: [{ viewType: 'pdf.preview', label: 'PDF Preview' }] });
    await panel.webview.send({ type: 'openWith', viewType: 'pdf.preview' });
    await panel.webview.send({ type: 'openWith', viewType: 'workbench.editor.hexEditor' });
    expect(fake.commands.executed.map((c) => [c.id, c.args[1]])).toEqual([['vscode.openWith', 'pdf.preview']]);
    expect(log.text).toContain('which it was not offered');
  });

  it('ignores malformed messages', async () => {
    const panel = await resolveEditor();
    for (const raw of [
      null,
      { type: 'render', requestId: 1, page: 1, width: 999_999 },
      { type: 'render', requestId: 1, page: -1, width: 10 },
      { type: 'eval', code: '1' },
    ]) {
      await panel.webview.send(raw);
    }
    expect(posted(panel)).toEqual([]);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(4);
  });

  it('closes the PDF when the editor closes', async () => {
    const panel = await resolveEditor();
    await panel.webview.send({ type: 'render', requestId: 1, page: 1, width: 100 });
    panel.dispose();
    await PdfViewerProvider.openAt(Uri.file(pdfPath), 1);
    // The closed one is forgotten: a new editor is opened instead.
    expect(fake.commands.executed.map((c) => c.id)).toEqual(['vscode.openWith']);
  });
});
