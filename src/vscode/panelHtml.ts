import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

/**
 * The panel's page: a strict CSP (nothing by default; only our stylesheet, our nonce'd script,
 * and images from the webview's own resource roots or pasted data), initial data in escaped
 * data-* attributes rather than inline script.
 */
export function panelHtml(webview: vscode.Webview, scriptUri: vscode.Uri, styleUri: vscode.Uri, folders: readonly string[]): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(styleUri.toString())}">
<title>Sightline Search</title>
</head>
<body data-state="ready" data-folders="${escapeAttribute(JSON.stringify(folders))}">
<div class="search-row" role="search">
  <input id="query" type="search" placeholder="Describe a screenshot, diagram or page…" aria-label="Search query" autofocus>
  <button id="pick-image" title="Search with an image file (you can also paste or drop one)" aria-label="Pick a query image">Image…</button>
</div>
<div class="filters">
  <span id="query-image" hidden><span id="query-image-name"></span><button id="clear-image" aria-label="Remove the query image">×</button></span>
  <label><input type="checkbox" name="kind" value="image"> Images</label>
  <label><input type="checkbox" name="kind" value="markdown"> Markdown</label>
  <label><input type="checkbox" name="kind" value="pdf"> PDFs</label>
  <label><input type="checkbox" name="kind" value="notebook"> Notebooks</label>
  <select id="folder" aria-label="Workspace folder" hidden></select>
  <button id="index-workspace" class="primary">Index Workspace</button>
</div>
<div id="status" role="status" aria-live="polite"></div>
<div id="notice" role="note"></div>
<div id="results" aria-label="Results"></div>
<script nonce="${nonce}" src="${escapeAttribute(scriptUri.toString())}"></script>
</body>
</html>`;
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
}
