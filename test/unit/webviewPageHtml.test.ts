import type * as vscode from 'vscode';
import { describe, expect, it } from 'vitest';
import { searchPanelHtml } from '../../src/vscode/searchPanelHtml';
import { escapeAttribute, webviewPage } from '../../src/vscode/webviewPage';
import { Uri } from '../support/fakeVscode/uri';
import { FakeWebview } from '../support/fakeVscode/webviewPanel';

/**
 * The webview pages (search panel, PDF page viewer) run only our own script: a CSP that allows
 * nothing by default, a fresh nonce per render that the one script tag carries, and initial data
 * in escaped attributes, so a workspace folder's name can never become markup.
 */

const webview = new FakeWebview();
const extension = Uri.file('/ext');
const scriptUri = webview.asWebviewUri(Uri.joinPath(extension, 'dist', 'webview.js'));

function render(folders: readonly string[] = ['app']): string {
  return searchPanelHtml(webview as unknown as vscode.Webview, extension, folders);
}

function csp(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  expect(content).toBeDefined();
  return new Map(
    content!
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([directive, ...sources]) => [directive!, sources]),
  );
}

function unescapeAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('searchPanelHtml', () => {
  it('has a CSP that denies by default and allows only our nonce for scripts', () => {
    const html = render();
    const policy = csp(html);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    const scriptSources = policy.get('script-src')!;
    expect(scriptSources).toHaveLength(1);
    expect(scriptSources[0]).toMatch(/^'nonce-[A-Za-z0-9+/]{22}=='$/);
    expect(policy.get('style-src')).toEqual([webview.cspSource]);
    expect(policy.get('img-src')).toEqual([webview.cspSource, 'data:', 'blob:']);
    expect(html).not.toMatch(/unsafe-inline|unsafe-eval|strict-dynamic/);
    // Nothing may be fetched or framed: no connect-src, frame-src or the like beyond the default.
    expect([...policy.keys()].sort()).toEqual(['default-src', 'img-src', 'script-src', 'style-src']);
  });

  it('puts the nonce on its only script tag, which loads the bundled file and has no inline code', () => {
    const html = render();
    const nonce = /'nonce-([^']+)'/.exec(html)![1];
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![1]).toContain(`nonce="${nonce}"`);
    expect(scripts[0]![1]).toContain(`src="${scriptUri.toString()}"`);
    expect(scripts[0]![2]).toBe('');
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers either
  });

  it('makes a fresh nonce for every render', () => {
    const nonces = new Set(Array.from({ length: 20 }, () => /'nonce-([^']+)'/.exec(render())![1]));
    expect(nonces.size).toBe(20);
  });

  it('escapes folder names in the data attribute so they cannot break out', () => {
    const folders = ['"><script>alert(1)</script>', "it's & <b>", 'plain'];
    const html = render(folders);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toContain('<b>');
    const body = /<body data-folders="([^"]*)">/.exec(html);
    expect(body).not.toBeNull();
    expect(JSON.parse(unescapeAttribute(body![1]!))).toEqual(folders);
  });

  it('gives the PDF viewer page images from blob: URLs only, and no data', () => {
    const html = webviewPage(webview as unknown as vscode.Webview, {
      title: 'PDF pages',
      scriptUri: scriptUri,
      styleUri: scriptUri,
      imageSources: ['blob:'],
      body: '<div id="viewport"></div>',
    });
    expect(csp(html).get('img-src')).toEqual([webview.cspSource, 'blob:']);
    expect(html).toContain('<body>');
  });

  it('escapes every character that matters in an attribute', () => {
    expect(escapeAttribute(`&"'<>`)).toBe('&amp;&quot;&#39;&lt;&gt;');
    expect(escapeAttribute('&quot;')).toBe('&amp;quot;');
  });
});
