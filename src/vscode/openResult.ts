import * as vscode from 'vscode';
import { PdfViewerProvider } from './pdfViewer/pdfViewerProvider';
import { uriFor, workspaceRoots } from './workspaceRoots';

export interface ResultLocation {
  readonly root: string;
  readonly path: string;
  readonly line?: number;
  readonly page?: number;
  /** 1-based notebook cell. */
  readonly cell?: number;
}

export interface OpenOptions {
  /** The editor group to open in (ViewColumn.Beside: next to the active one); the active group by default. */
  readonly viewColumn?: vscode.ViewColumn;
}

/**
 * Opens a result where it points: markdown at the section's line, a notebook in the notebook
 * editor at its cell, images in the image preview,
 * PDFs in Sightline's page viewer at the result's page (neither VS Code nor code-server can show
 * a PDF otherwise; the viewer offers an installed PDF extension when there is one).
 */
export async function openResult(location: ResultLocation, options: OpenOptions = {}): Promise<void> {
  const uri = uriFor(workspaceRoots(), location.root, location.path);
  if (!uri) throw new Error(`${location.path} is not in an open workspace folder`);
  const { viewColumn } = options;
  if (location.cell !== undefined && /\.ipynb$/i.test(location.path)) return openNotebookAt(uri, location.cell, viewColumn);
  if (location.line !== undefined && /\.(md|markdown|mdx)$/i.test(location.path)) {
    const position = new vscode.Position(Math.max(0, location.line - 1), 0);
    const editor = await vscode.window.showTextDocument(uri, {
      selection: new vscode.Range(position, position),
      preview: true,
      ...(viewColumn !== undefined ? { viewColumn } : {}),
    });
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
    return;
  }
  if (/\.pdf$/i.test(location.path)) return PdfViewerProvider.openAt(uri, location.page ?? 1, viewColumn);
  await vscode.commands.executeCommand('vscode.open', uri, viewColumn !== undefined ? { viewColumn, preview: true } : undefined);
}

/** The notebook editor, with the cell selected and scrolled to the top. */
async function openNotebookAt(uri: vscode.Uri, cell: number, viewColumn: vscode.ViewColumn | undefined): Promise<void> {
  const notebook = await vscode.workspace.openNotebookDocument(uri);
  const index = Math.min(Math.max(0, cell - 1), Math.max(0, notebook.cellCount - 1));
  const range = new vscode.NotebookRange(index, index + 1);
  const editor = await vscode.window.showNotebookDocument(notebook, {
    selections: [range],
    preview: true,
    ...(viewColumn !== undefined ? { viewColumn } : {}),
  });
  editor.revealRange(range, vscode.NotebookEditorRevealType.AtTop);
}
