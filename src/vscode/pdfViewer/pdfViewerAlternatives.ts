import picomatch from 'picomatch';
import * as vscode from 'vscode';
import type { ViewerAlternative } from '../../shared/pdfViewerProtocol';

interface ContributedEditor {
  readonly viewType?: unknown;
  readonly displayName?: unknown;
  readonly selector?: ReadonlyArray<{ readonly filenamePattern?: unknown }>;
}

/**
 * Custom editors of installed extensions that open PDFs (a PDF viewer the user chose), which
 * the page viewer offers as "Open in ...". Read from each extension's package.json, since VS Code
 * has no API listing the editors for a file.
 */
export function installedPdfEditors(ownViewType: string): ViewerAlternative[] {
  const found: ViewerAlternative[] = [];
  for (const extension of vscode.extensions.all) {
    const json = extension.packageJSON as { displayName?: unknown; contributes?: { customEditors?: unknown } } | undefined;
    const editors = json?.contributes?.customEditors;
    if (!Array.isArray(editors)) continue;
    for (const editor of editors as ContributedEditor[]) {
      if (typeof editor.viewType !== 'string' || editor.viewType === ownViewType || !opensPdf(editor)) continue;
      const label =
        typeof editor.displayName === 'string' && editor.displayName
          ? editor.displayName
          : typeof json?.displayName === 'string'
            ? json.displayName
            : editor.viewType;
      found.push({ viewType: editor.viewType, label });
    }
  }
  return found;
}

function opensPdf(editor: ContributedEditor): boolean {
  return (editor.selector ?? []).some(
    (selector) =>
      typeof selector.filenamePattern === 'string' && picomatch.isMatch('document.pdf', selector.filenamePattern, { nocase: true, basename: true, dot: true }),
  );
}
