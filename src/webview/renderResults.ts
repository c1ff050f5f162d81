import { highlightParts } from './highlight';
import type { PanelMatch, PanelResult } from '../shared/panelProtocol';

export interface ResultActions {
  open(result: PanelResult, match: PanelMatch, inPanelGroup: boolean): void;
  findSimilar(result: PanelResult, match: PanelMatch): void;
  reveal(result: PanelResult): void;
  /** "+N more in this file" was clicked: show or hide the file's other matches. */
  toggleMore(result: PanelResult): void;
  showWeaker(): void;
}

export interface ResultsView {
  readonly results: readonly PanelResult[];
  readonly weakFrom: number;
  readonly showWeak: boolean;
  /** Files ("root\0path") whose other matches are shown. */
  readonly expanded: ReadonlySet<string>;
  readonly words: readonly string[];
}

const KIND_LABEL = { image: 'Image', markdown: 'Markdown', pdf: 'PDF', notebook: 'Notebook' } as const;
/** A grid of thumbnails as the first row only when at least this many top results are images. */
const MIN_GRID = 2;

export function fileKey(result: Pick<PanelResult, 'root' | 'path'>): string {
  return `${result.root}\u0000${result.path}`;
}

/**
 * One ranked list, best first, whatever the kind: each file a row with its thumbnail inline
 * (images and PDF pages), and when the best results are images, those as a compact grid on top.
 * The engine's order is kept exactly (data-result is the engine's rank). Built with DOM calls
 * and textContent only: result text comes from workspace files and is never parsed as HTML.
 */
export function renderResults(container: HTMLElement, view: ResultsView, actions: ResultActions): void {
  const shown = view.showWeak ? view.results : view.results.slice(0, view.weakFrom);
  const gridCount = leadingImages(shown);
  const nodes: HTMLElement[] = [];
  if (gridCount >= MIN_GRID) {
    const grid = element('ul', 'grid');
    grid.setAttribute('aria-label', 'Best matching images');
    for (const result of shown.slice(0, gridCount)) grid.append(tile(result, view, actions));
    nodes.push(grid);
  }
  const rest = gridCount >= MIN_GRID ? shown.slice(gridCount) : shown;
  if (rest.length) {
    const rows = element('ul', 'rows');
    rows.setAttribute('aria-label', 'Results');
    for (const result of rest) {
      if (result === view.results[view.weakFrom] && view.showWeak) rows.append(separator('Weaker results'));
      rows.append(row(result, view, actions));
    }
    nodes.push(rows);
  }
  const weaker = view.results.length - view.weakFrom;
  if (!view.showWeak && weaker > 0) {
    const button = element('button', 'weaker-toggle nav-item');
    button.textContent = `Show ${weaker} weaker result${weaker === 1 ? '' : 's'}`;
    button.addEventListener('click', () => actions.showWeaker());
    nodes.push(button);
  }
  container.replaceChildren(...nodes);
}

/** How many results at the top are images with thumbnails (the grid row). */
function leadingImages(results: readonly PanelResult[]): number {
  const index = results.findIndex((r) => !(r.thumbnail && (r.kind === 'image' || r.part === 'figure')));
  return index < 0 ? results.length : index;
}

function tile(result: PanelResult, view: ResultsView, actions: ResultActions): HTMLElement {
  const item = focusable(result, result, actions, 'result tile');
  const picture = thumbnail(result.thumbnail!);
  const caption = element('span', 'caption');
  caption.append(...marked(result.title, view.words));
  const folder = element('span', 'folder');
  folder.textContent = result.folder;
  item.append(picture, caption, folder, relevanceBar(result.score), similarButton(result, result, actions));
  return item;
}

function row(result: PanelResult, view: ResultsView, actions: ResultActions): HTMLElement {
  const container = element('li', 'file');
  const item = focusable(result, result, actions, 'result row');
  item.append(
    result.thumbnail ? thumbnail(result.thumbnail) : kindGlyph(result),
    rowBody(result.title, result.folder, result, view.words),
    relevanceBar(result.score),
  );
  if (result.kind === 'image' || result.part === 'figure') item.append(similarButton(result, result, actions));
  container.append(item);
  if (result.more.length) {
    const open = view.expanded.has(fileKey(result));
    const toggle = element('button', 'more-toggle nav-item');
    toggle.textContent = open ? 'Show fewer' : `+${result.more.length} more in this file`;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.addEventListener('click', () => actions.toggleMore(result));
    container.append(toggle);
    if (open) {
      const list = element('ul', 'more');
      for (const match of result.more) list.append(subRow(result, match, view, actions));
      container.append(list);
    }
  }
  return container;
}

function subRow(result: PanelResult, match: PanelMatch, view: ResultsView, actions: ResultActions): HTMLElement {
  const item = focusable(result, match, actions, 'result sub-row');
  item.append(
    match.thumbnail ? thumbnail(match.thumbnail) : element('span', 'glyph-space'),
    rowBody(match.label, '', match, view.words),
    relevanceBar(match.score),
  );
  return item;
}

function rowBody(title: string, folder: string, match: PanelMatch, words: readonly string[]): HTMLElement {
  const body = element('div', 'body');
  const head = element('div', 'head');
  const titleNode = element('span', 'title');
  titleNode.append(...marked(title, words));
  head.append(titleNode);
  if (folder) {
    const folderNode = element('span', 'folder');
    folderNode.textContent = folder;
    head.append(folderNode);
  }
  if (match.where && match.where !== title) {
    const where = element('span', 'where');
    where.append(...marked(match.where, words));
    head.append(where);
  }
  body.append(head);
  if (match.snippet) {
    const snippet = element('div', 'snippet');
    snippet.append(...marked(match.snippet, words));
    body.append(snippet);
  }
  return body;
}

function focusable(result: PanelResult, match: PanelMatch, actions: ResultActions, className: string): HTMLElement {
  const item = element('li', `${className} nav-item kind-${result.kind}`);
  item.tabIndex = 0;
  item.dataset.result = match.id;
  item.dataset.file = fileKey(result);
  item.setAttribute('role', 'button');
  const place = match.page !== undefined ? `page ${match.page}` : match.where;
  item.setAttribute(
    'aria-label',
    `${KIND_LABEL[result.kind]}: ${result.title}${place && !result.title.endsWith(place) ? `, ${place}` : ''}. Relevance ${Math.round(match.score * 100)} percent.`,
  );
  item.title = `${result.path}${match.line ? `:${match.line}` : ''}${match.page ? ` (page ${match.page})` : ''}${match.cell ? ` (cell ${match.cell})` : ''}`;
  item.addEventListener('click', (event) => actions.open(result, match, event.ctrlKey || event.metaKey));
  item.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') actions.open(result, match, event.ctrlKey || event.metaKey);
    else if ((event.key === 's' || event.key === 'S') && canBeSimilar(result, match)) actions.findSimilar(result, match);
    else if (event.key === 'd' || event.key === 'D') actions.reveal(result);
    else return;
    event.preventDefault();
    event.stopPropagation();
  });
  return item;
}

function canBeSimilar(result: PanelResult, match: PanelMatch): boolean {
  return result.kind === 'image' || match.part === 'figure';
}

function similarButton(result: PanelResult, match: PanelMatch, actions: ResultActions): HTMLElement {
  const button = element('button', 'similar');
  button.textContent = 'Similar';
  button.tabIndex = -1;
  button.title = 'Find similar images (S)';
  button.setAttribute('aria-label', `Find images similar to ${match.target ?? result.path}`);
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    actions.findSimilar(result, match);
  });
  return button;
}

function thumbnail(src: string): HTMLElement {
  const frame = element('span', 'thumb');
  const image = document.createElement('img');
  image.src = src;
  image.alt = '';
  image.loading = 'lazy';
  frame.append(image);
  return frame;
}

function kindGlyph(result: PanelResult): HTMLElement {
  const glyph = element('span', `thumb glyph glyph-${result.kind}`);
  glyph.textContent = result.kind === 'markdown' ? 'M↓' : result.kind === 'pdf' ? 'PDF' : result.kind === 'notebook' ? 'NB' : 'IMG';
  glyph.setAttribute('aria-hidden', 'true');
  return glyph;
}

function relevanceBar(score: number): HTMLElement {
  const bar = element('span', 'relevance');
  bar.setAttribute('aria-hidden', 'true');
  bar.title = `Relevance ${Math.round(score * 100)}%`;
  const fill = element('span', 'fill');
  fill.style.width = `${Math.round(Math.max(0, Math.min(1, score)) * 100)}%`;
  bar.append(fill);
  return bar;
}

function separator(text: string): HTMLElement {
  const item = element('li', 'separator');
  item.textContent = text;
  return item;
}

function marked(text: string, words: readonly string[]): Node[] {
  return highlightParts(text, words).map((part) => {
    if (!part.mark) return document.createTextNode(part.text);
    const mark = document.createElement('mark');
    mark.textContent = part.text;
    return mark;
  });
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
