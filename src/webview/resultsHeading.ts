import type { ResultsHeading } from '../shared/panelProtocol';

/**
 * The line above the results: how many, for what. For Find Similar, the query image itself,
 * thumbnail and name ("Similar to Backlinks.png"), so it is clear what the grid is like.
 */
export function renderHeading(container: HTMLElement, heading: ResultsHeading, count: number, weaker: number): void {
  const strong = count - weaker;
  const counted = count ? `${strong} result${strong === 1 ? '' : 's'}${weaker ? ` (and ${weaker} weaker)` : ''}` : 'No results';
  const similar = heading.similarTo;
  if (!similar) {
    container.replaceChildren(`${counted} for ${heading.label}`);
    return;
  }
  const card = document.createElement('div');
  card.className = 'query-card';
  if (similar.thumbnail) {
    const image = document.createElement('img');
    image.src = similar.thumbnail;
    image.alt = '';
    card.append(image);
  }
  const text = document.createElement('div');
  const title = document.createElement('div');
  title.className = 'query-title';
  title.textContent = `Similar to ${similar.name}`;
  const detail = document.createElement('div');
  detail.className = 'query-detail';
  detail.textContent = `${similar.path} · ${counted}`;
  text.append(title, detail);
  card.append(text);
  container.replaceChildren(card);
}
