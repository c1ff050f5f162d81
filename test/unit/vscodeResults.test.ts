import * as path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type * as vscode from 'vscode';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../src/core/index/search/searchTypes';
import { openResult } from '../../src/vscode/openResult';
import { kindIcon, resultLabels } from '../../src/vscode/resultLabels';
import { rootForUri, uriFor, workspaceRoots } from '../../src/vscode/workspaceRoots';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
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

const uri = (...parts: string[]) => Uri.file(path.join(...parts)) as unknown as vscode.Uri;

function result(overrides: Partial<SearchResult>): SearchResult {
  return { root: 'app', path: 'images/login.png', kind: 'image', part: 'image', score: 0.5, ...overrides };
}

describe('resultLabels', () => {
  it('names an image by file, folder and workspace folder', () => {
    expect(resultLabels(result({}))).toEqual({ name: 'login.png', folder: 'app · images', where: '', snippet: '' });
    expect(resultLabels(result({ root: '', path: 'top.png' }))).toEqual({ name: 'top.png', folder: '', where: '', snippet: '' });
  });

  it('shows a markdown section by its heading path and snippet', () => {
    const labels = resultLabels(result({ kind: 'markdown', part: 'section', path: 'docs/guide.md', headingPath: ['Guide', 'Install', 'Linux'], snippet: 'systemctl enable' }));
    expect(labels).toEqual({ name: 'guide.md', folder: 'app · docs', where: 'Guide › Install › Linux', snippet: 'systemctl enable' });
  });

  it('shows a figure under the image it shows, and where it is shown', () => {
    const labels = resultLabels(result({ kind: 'markdown', part: 'figure', path: 'docs/guide.md', line: 30, target: 'images/login.png' }));
    expect(labels).toMatchObject({ name: 'login.png', folder: 'app · images', where: 'shown in docs/guide.md:30' });
  });

  it('names the page of a PDF', () => {
    expect(resultLabels(result({ kind: 'pdf', part: 'page-text', path: 'reports/q3.pdf', page: 4 })).where).toBe('page 4');
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

  it('opens a PDF with the page in the fragment and names the page in the status bar', async () => {
    await openResult({ root: 'app', path: 'reports/q3.pdf', page: 3 });
    const [call] = fake.commands.executed;
    expect(call!.id).toBe('vscode.open');
    expect((call!.args[0] as Uri).fragment).toBe('page=3');
    expect((call!.args[0] as Uri).fsPath).toBe(path.join(APP, 'reports', 'q3.pdf'));
    expect(fake.window.statusBarMessages).toEqual(['Sightline: reports/q3.pdf, page 3']);
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
    await openResult({ root: 'app', path: 'analysis/train.ipynb', cell: 9 });
    expect(fake.window.notebooks.map((n) => n.uri.fsPath)).toEqual([notebook, notebook]);
    expect(fake.window.notebooks.map((n) => n.options)).toEqual([
      { selections: [{ start: 1, end: 2 }], preview: true },
      { selections: [{ start: 2, end: 3 }], preview: true },
    ]);
    expect(fake.window.notebooks[0]!.revealed).toEqual([{ range: { start: 1, end: 2 }, type: NotebookEditorRevealType.AtTop }]);
    expect(fake.window.documents).toEqual([]);
    expect(fake.commands.executed).toEqual([]);
  });

  it('refuses a root that is not an open workspace folder', async () => {
    await expect(openResult({ root: 'gone', path: 'a.png' })).rejects.toThrow('a.png is not in an open workspace folder');
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
    expect(rootForUri(Uri.from({ scheme: 'untitled', path: path.join(APP, 'a.png') }) as unknown as vscode.Uri, workspaceRoots())).toBeUndefined();
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
