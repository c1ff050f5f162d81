import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export interface WebviewPageParts {
  readonly title: string;
  readonly scriptUri: vscode.Uri;
  readonly styleUri: vscode.Uri;
  /** Static markup of the page's body (no workspace text: that arrives through messages or `data`). */
  readonly body: string;
  /** Initial data, as JSON in an escaped data-* attribute of <body>. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Where images may come from besides the webview's resource roots. */
  readonly imageSources?: readonly string[];
}

/**
 * A webview page with a strict CSP: nothing by default; only our stylesheet, our one script with
 * a fresh nonce, and images from the webview's resource roots (plus what `imageSources` adds).
 * No inline code and no inline handlers, so workspace text can never become script.
 */
export function webviewPage(webview: vscode.Webview, parts: WebviewPageParts): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    ['img-src', webview.cspSource, ...(parts.imageSources ?? [])].join(' '),
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const data = Object.entries(parts.data ?? {})
    .map(([key, value]) => ` data-${key}="${escapeAttribute(JSON.stringify(value))}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(parts.styleUri.toString())}">
<title>${escapeAttribute(parts.title)}</title>
</head>
<body${data}>
${parts.body}
<script nonce="${nonce}" src="${escapeAttribute(parts.scriptUri.toString())}"></script>
</body>
</html>`;
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
}
