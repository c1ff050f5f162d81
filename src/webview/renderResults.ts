import type { PanelResult } from '../shared/panelProtocol';

export interface ResultActions {
  open(result: PanelResult): void;
  findSimilar(result: PanelResult): void;
}

const KIND_LABEL = { image: 'Image', markdown: 'Markdown', pdf: 'PDF', notebook: 'Notebook' } as const;

/**
 * Images and PDF pages as a thumbnail grid, text as rows with snippets. Built with DOM calls
 * and textContent only: result text comes from workspace files and is never parsed as HTML.
 */
export function renderResults(container: HTMLElement, results: readonly PanelResult[], actions: ResultActions): void {
  const grid = element('ul', 'grid');
  grid.setAttribute('aria-label', 'Image and page results');
  const rows = element('ul', 'rows');
  rows.setAttribute('aria-label', 'Text results');
  for (const result of results) {
    (result.thumbnail ? grid : rows).append(result.thumbnail ? tile(result, actions) : row(result, actions));
  }
  // Whichever list holds the best-ranked result comes first: a text query's best section must not
  // sit below unrelated thumbnails.
  const lists = [grid, rows].filter((list) => list.childElementCount > 0);
  lists.sort((a, b) => bestRank(a) - bestRank(b));
  container.replaceChildren(...lists);
}

function tile(result: PanelResult, actions: ResultActions): HTMLElement {
  const item = focusable(result, actions, 'tile');
  const image = document.createElement('img');
  image.src = result.thumbnail!;
  image.alt = '';
  image.loading = 'lazy';
  const caption = element('span', 'caption');
  caption.textContent = label(result);
  item.append(image, caption);
  if (result.kind === 'image') item.append(similarButton(result, actions));
  return item;
}

function row(result: PanelResult, actions: ResultActions): HTMLElement {
  const item = focusable(result, actions, 'row');
  const title = element('span', 'title');
  title.textContent = label(result);
  const where = element('span', 'where');
  const page = result.page !== undefined ? `page ${result.page}` : undefined;
  // A PDF page's heading already is "page N".
  where.textContent = [...new Set([result.heading, page].filter(Boolean))].join(' · ');
  const snippet = element('span', 'snippet');
  snippet.textContent = result.snippet ?? '';
  item.append(title, where, snippet);
  return item;
}

function focusable(result: PanelResult, actions: ResultActions, kind: string): HTMLElement {
  const item = element('li', `result ${kind} kind-${result.kind}`);
  item.tabIndex = 0;
  item.dataset.result = result.id;
  item.setAttribute('role', 'button');
  item.setAttribute('aria-label', `${KIND_LABEL[result.kind]}: ${label(result)}${result.heading ? `, ${result.heading}` : ''}. Score ${Math.round(result.score * 100)} percent.`);
  item.title = `${result.path}${result.line ? `:${result.line}` : ''}${result.page ? ` (page ${result.page})` : ''}${result.cell ? ` (cell ${result.cell})` : ''}`;
  item.addEventListener('click', () => actions.open(result));
  item.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') actions.open(result);
    else if ((event.key === 's' || event.key === 'S') && result.kind === 'image') actions.findSimilar(result);
  });
  return item;
}

function similarButton(result: PanelResult, actions: ResultActions): HTMLElement {
  const button = element('button', 'similar');
  button.textContent = 'Similar';
  button.tabIndex = -1;
  button.setAttribute('aria-label', `Find images similar to ${result.path}`);
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    actions.findSimilar(result);
  });
  return button;
}

/** The rank of a list's first result (lists keep rank order; data-result is the rank). */
function bestRank(list: HTMLElement): number {
  return Number((list.firstElementChild as HTMLElement | null)?.dataset.result ?? Infinity);
}

function label(result: PanelResult): string {
  const name = (result.target ?? result.path).split('/').pop() ?? result.path;
  return result.page !== undefined ? `${name} (p. ${result.page})` : name;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
