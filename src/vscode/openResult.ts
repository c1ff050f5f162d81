import * as vscode from 'vscode';
import { uriFor, workspaceRoots } from './workspaceRoots';

export interface ResultLocation {
  readonly root: string;
  readonly path: string;
  readonly line?: number;
  readonly page?: number;
  /** 1-based notebook cell. */
  readonly cell?: number;
}

/**
 * Opens a result where it points: markdown at the section's line, a notebook in the notebook
 * editor at its cell, images in the image preview, PDFs in whatever editor handles them, with
 * the page named when it cannot be shown.
 */
export async function openResult(location: ResultLocation): Promise<void> {
  const uri = uriFor(workspaceRoots(), location.root, location.path);
  if (!uri) throw new Error(`${location.path} is not in an open workspace folder`);
  if (location.cell !== undefined && /\.ipynb$/i.test(location.path)) return openNotebookAt(uri, location.cell);
  if (location.line !== undefined && /\.(md|markdown|mdx)$/i.test(location.path)) {
    const position = new vscode.Position(Math.max(0, location.line - 1), 0);
    const editor = await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true });
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
    return;
  }
  if (location.page !== undefined) {
    // PDF viewer extensions read the page from the fragment; the built-in editor ignores it.
    await vscode.commands.executeCommand('vscode.open', uri.with({ fragment: `page=${location.page}` }));
    void vscode.window.setStatusBarMessage(`Sightline: ${location.path}, page ${location.page}`, 8000);
    return;
  }
  await vscode.commands.executeCommand('vscode.open', uri);
}

/** The notebook editor, with the cell selected and scrolled to the top. */
async function openNotebookAt(uri: vscode.Uri, cell: number): Promise<void> {
  const notebook = await vscode.workspace.openNotebookDocument(uri);
  const index = Math.min(Math.max(0, cell - 1), Math.max(0, notebook.cellCount - 1));
  const range = new vscode.NotebookRange(index, index + 1);
  const editor = await vscode.window.showNotebookDocument(notebook, { selections: [range], preview: true });
  editor.revealRange(range, vscode.NotebookEditorRevealType.AtTop);
}
