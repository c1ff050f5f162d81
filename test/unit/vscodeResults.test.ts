import * as path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type * as vscode from 'vscode';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../src/core/index/search/searchTypes';
import { openResult } from '../../src/vscode/openResult';
import { PDF_VIEWER_TYPE, PdfViewerProvider } from '../../src/vscode/pdfViewer/pdfViewerProvider';
import { readableSnippet } from '../../src/vscode/readableSnippet';
import { kindIcon, resultLabels } from '../../src/vscode/resultLabels';
import { rootForUri, uriFor, workspaceRoots } from '../../src/vscode/workspaceRoots';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { NotebookEditorRevealType, TextEditorRevealType } from '../support/fakeVscode/types';
import { Uri } from '../support/fakeVscode/uri';

/** Where a result is shown, how it opens, and how editor URIs map to index paths and back. */

const BASE = path.join(tmpdir(), 'sightline-roots');
const APP = path.join(BASE, 'app');
const DOCS = path.join(BASE, 'docs');

beforeEach(() => {
  resetFake();
  fake.workspace.setFolders([APP, DOCS]);
});

const uri = (...parts: string[]) => Uri.file(path.join(...parts));

function result(overrides: Partial<SearchResult>): SearchResult {
  return { root: 'app', path: 'images/login.png', kind: 'image', part: 'image', score: 0.5, ...overrides };
}

const MULTI = { showRoot: true };
const SINGLE = { showRoot: false };

describe('resultLabels', () => {
  it('names an image by file and folder, with the workspace folder only in a multi-root window', () => {
    expect(resultLabels(result({}), MULTI)).toEqual({ name: 'login.png', title: 'login.png', folder: 'app · images', where: '', snippet: '' });
    expect(resultLabels(result({}), SINGLE)).toEqual({ name: 'login.png', title: 'login.png', folder: 'images', where: '', snippet: '' });
    expect(resultLabels(result({ root: '', path: 'top.png' }), MULTI)).toEqual({ name: 'top.png', title: 'top.png', folder: '', where: '', snippet: '' });
  });

  it('shows a markdown section by its heading path and snippet', () => {
    const labels = resultLabels(
      result({ kind: 'markdown', part: 'section', path: 'docs/guide.md', headingPath: ['Guide', 'Install', 'Linux'], snippet: 'systemctl enable' }),
      MULTI,
    );
    expect(labels).toEqual({ name: 'guide.md', title: 'guide.md', folder: 'app · docs', where: 'Guide › Install › Linux', snippet: 'systemctl enable' });
  });

  it('shows a figure under the image it shows, and where it is shown', () => {
    const labels = resultLabels(result({ kind: 'markdown', part: 'figure', path: 'docs/guide.md', line: 30, target: 'images/login.png' }), MULTI);
    expect(labels).toMatchObject({ name: 'login.png', folder: 'app · images', where: 'shown in docs/guide.md:30' });
  });

  it('names the page of a PDF in the title, once', () => {
    const labels = resultLabels(result({ kind: 'pdf', part: 'page-text', path: 'reports/q3.pdf', page: 4 }), SINGLE);
    expect([labels.title, labels.where]).toEqual(['q3.pdf - page 4', '']);
  });

  it("does not repeat the section's heading at the start of its snippet", () => {
    const labels = resultLabels(
      result({ kind: 'markdown', part: 'section', path: 'a.md', headingPath: ['Guide', 'Login'], snippet: '## Login The login screen asks for a name.' }),
      SINGLE,
    );
    expect(labels.snippet).toBe('The login screen asks for a name.');
  });

  it('picks an icon by kind', () => {
    expect(kindIcon(result({ kind: 'pdf' }))).toBe('$(file-pdf)');
    expect(kindIcon(result({ kind: 'markdown' }))).toBe('$(markdown)');
    expect(kindIcon(result({ kind: 'image' }))).toBe('$(file-media)');
    expect(kindIcon(result({ kind: 'notebook' }))).toBe('$(notebook)');
  });
});

describe('openResult', () => {
  it('opens markdown at the section line, selected and revealed at the top', async () => {
    await openResult({ root: 'docs', path: 'guide/setup.md', line: 12 });
    expect(fake.window.documents).toHaveLength(1);
    const [shown] = fake.window.documents;
    expect(shown!.uri.fsPath).toBe(path.join(DOCS, 'guide', 'setup.md'));
    expect(shown!.options).toEqual({ selection: { start: { line: 11, character: 0 }, end: { line: 11, character: 0 } }, preview: true });
    expect(shown!.revealed).toEqual([{ range: { start: { line: 11, character: 0 }, end: { line: 11, character: 0 } }, type: TextEditorRevealType.AtTop }]);
    expect(fake.commands.executed).toEqual([]);
  });

  it('clamps line 0 to the first line', async () => {
    await openResult({ root: 'app', path: 'README.MD', line: 0 });
    expect(fake.window.documents[0]!.options?.selection?.start.line).toBe(0);
  });

  it('opens images with vscode.open, so the image preview shows them', async () => {
    await openResult({ root: 'app', path: 'images/login.png' });
    expect(fake.commands.executed).toHaveLength(1);
    const [call] = fake.commands.executed;
    expect(call!.id).toBe('vscode.open');
    expect((call!.args[0] as Uri).fsPath).toBe(path.join(APP, 'images', 'login.png'));
    expect((call!.args[0] as Uri).fragment).toBe('');
    expect(fake.window.documents).toEqual([]);
  });

  it("opens a PDF in Sightline's page viewer, at the result's page", async () => {
    const registration = PdfViewerProvider.register(Uri.file('/ext'), new FakeLogOutputChannel('Sightline') as unknown as vscode.LogOutputChannel);
    try {
      await openResult({ root: 'app', path: 'reports/q3.pdf', page: 3 }, { viewColumn: -2 });
      const [call] = fake.commands.executed;
      expect(call!.id).toBe('vscode.openWith');
      expect((call!.args[0] as Uri).fsPath).toBe(path.join(APP, 'reports', 'q3.pdf'));
      expect(call!.args.slice(1)).toEqual([PDF_VIEWER_TYPE, { viewColumn: -2, preview: true }]);
    } finally {
      registration.dispose();
    }
  });

  it('opens beside the panel when asked to', async () => {
    await openResult({ root: 'docs', path: 'guide/setup.md', line: 3 }, { viewColumn: -2 });
    expect(fake.window.documents[0]!.options).toMatchObject({ viewColumn: -2, preview: true });
    await openResult({ root: 'app', path: 'images/login.png' }, { viewColumn: 1 });
    expect(fake.commands.executed[0]!.args[1]).toEqual({ viewColumn: 1, preview: true });
  });

  it('opens markdown without a line like any other file', async () => {
    await openResult({ root: 'app', path: 'notes.md' });
    expect(fake.commands.executed.map((c) => c.id)).toEqual(['vscode.open']);
  });

  it('opens a notebook in the notebook editor with the cell selected at the top, and clamps a cell past the end', async () => {
    const notebook = path.join(APP, 'analysis', 'train.ipynb');
    await mkdir(path.dirname(notebook), { recursive: true });
    const cell = (source: string) => ({ cell_type: 'markdown', metadata: {}, source });
    await writeFile(notebook, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell('# A'), cell('b'), cell('c')] }));
    await openResult({ root: 'app', path: 'analysis/train.ipynb', cell: 2 });
    await openResult({ root: 'app', path: 'analysis/train.ipynb', cell: 9 }, { viewColumn: -2 as vscode.ViewColumn });
    expect(fake.window.notebooks.map((n) => n.uri.fsPath)).toEqual([notebook, notebook]);
    expect(fake.window.notebooks.map((n) => n.options)).toEqual([
      { selections: [{ start: 1, end: 2 }], preview: true },
      { selections: [{ start: 2, end: 3 }], preview: true, viewColumn: -2 },
    ]);
    expect(fake.window.notebooks[0]!.revealed).toEqual([{ range: { start: 1, end: 2 }, type: NotebookEditorRevealType.AtTop }]);
    expect(fake.window.documents).toEqual([]);
    expect(fake.commands.executed).toEqual([]);
  });

  it('refuses a root that is not an open workspace folder', async () => {
    await expect(openResult({ root: 'gone', path: 'a.png' })).rejects.toThrow('a.png is not in an open workspace folder');
  });
});

describe('readableSnippet', () => {
  it('reads wiki embeds, wiki links and markdown links as plain text', () => {
    expect(readableSnippet('See ![[Backlinks.png|300]] and ![[diagram.svg#icon]] then [[Graph view#Filters|filters]] or [[Daily notes]].')).toBe(
      'See and then filters or Daily notes.',
    );
    expect(readableSnippet('Open [[Settings#Editor]] via [the docs](https://example.com) ![shot](a.png)')).toBe('Open Settings › Editor via the docs shot');
  });

  it('drops table pipes and delimiter rows, heading marks, emphasis and callout marks', () => {
    expect(readableSnippet('| Key | Action | |---|:---:| | Ctrl+P | Quick open |')).toBe('Key · Action · Ctrl+P · Quick open');
    expect(readableSnippet('## Setup **Bold** and `code` > [!note] careful ==marked==')).toBe('Setup Bold and code careful marked');
    // Not heading marks: "#12" and "C#".
    expect(readableSnippet('Fixed in #12 for C# users')).toBe('Fixed in #12 for C# users');
  });

  it('leaves out the heading the row already shows, only when it is the whole first words', () => {
    expect(readableSnippet('# Operator Guide Welcome to the guide.', ['Operator Guide'])).toBe('Welcome to the guide.');
    expect(readableSnippet('Logins are kept for a day.', ['Login'])).toBe('Logins are kept for a day.');
    expect(readableSnippet('Login', ['Guide', 'Login'])).toBe('');
  });
});

describe('workspaceRoots', () => {
  it('keys folders by name, numbering duplicates, and skips folders that are not on disk', () => {
    fake.workspace.setFolders([
      { path: path.join(BASE, 'one', 'web') },
      { path: path.join(BASE, 'two', 'web') },
      { path: '/remote', name: 'remote', uri: Uri.from({ scheme: 'vscode-remote', path: '/remote' }) },
      { path: path.join(BASE, 'three', 'web') },
    ]);
    expect(workspaceRoots()).toEqual([
      { key: 'web', path: path.join(BASE, 'one', 'web') },
      { key: 'web (2)', path: path.join(BASE, 'two', 'web') },
      { key: 'web (3)', path: path.join(BASE, 'three', 'web') },
    ]);
  });

  it('is empty without a workspace', () => {
    fake.workspace.folders = undefined;
    expect(workspaceRoots()).toEqual([]);
  });
});

describe('rootForUri and uriFor', () => {
  it('maps a file to its folder key and a posix path, and back', () => {
    const file = rootForUri(uri(DOCS, 'guide', 'setup.md'), workspaceRoots());
    expect(file).toEqual({ root: 'docs', path: 'guide/setup.md' });
    expect(uriFor(workspaceRoots(), file!.root, file!.path)?.fsPath).toBe(path.join(DOCS, 'guide', 'setup.md'));
  });

  it('has nothing for files outside the folders, the folder itself, or other schemes', () => {
    expect(rootForUri(uri(BASE, 'elsewhere.png'), workspaceRoots())).toBeUndefined();
    expect(rootForUri(uri(BASE, 'app-other', 'a.png'), workspaceRoots())).toBeUndefined();
    expect(rootForUri(uri(APP), workspaceRoots())).toBeUndefined();
    expect(rootForUri(Uri.from({ scheme: 'untitled', path: path.join(APP, 'a.png') }), workspaceRoots())).toBeUndefined();
  });

  it('uses the innermost folder when folders are nested', () => {
    const inner = path.join(APP, 'packages', 'ui');
    fake.workspace.setFolders([APP, inner]);
    expect(rootForUri(uri(inner, 'shot.png'), workspaceRoots())).toEqual({ root: 'ui', path: 'shot.png' });
    expect(rootForUri(uri(APP, 'top.png'), workspaceRoots())).toEqual({ root: 'app', path: 'top.png' });
  });

  // Fails today: rootForUri refuses any relative path starting with "..", which also catches
  // files and folders whose names merely begin with two dots.
  it('accepts files whose names begin with two dots', () => {
    expect(rootForUri(uri(APP, '..notes', 'a.png'), workspaceRoots())).toEqual({ root: 'app', path: '..notes/a.png' });
  });

  it('has no URI for an unknown folder key', () => {
    expect(uriFor(workspaceRoots(), 'nope', 'a.png')).toBeUndefined();
  });
});
