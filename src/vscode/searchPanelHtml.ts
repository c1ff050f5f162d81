import * as vscode from 'vscode';
import { webviewPage } from './webviewPage';

/** The search panel's page; workspace folder names go in as data, everything else arrives by message. */
export function searchPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, folders: readonly string[]): string {
  return webviewPage(webview, {
    title: 'Sightline Search',
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')),
    // Thumbnails come from the index folder (a resource root); pasted query images are data: or blob:.
    imageSources: ['data:', 'blob:'],
    data: { folders },
    body: PANEL_BODY,
  });
}

const PANEL_BODY = `<header class="top" role="search">
  <div class="search-row">
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
  </div>
</header>
<div id="index-state" role="status" aria-live="polite"><span id="index-message"></span><button id="index-workspace" class="primary">Index Workspace</button></div>
<div id="notice" role="note" hidden><span id="notice-text"></span><button id="notice-action" hidden>Set API Key</button></div>
<div id="summary" role="status" aria-live="polite"></div>
<div id="results" aria-label="Results"></div>`;
