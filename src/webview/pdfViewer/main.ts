import type { ViewerHostMessage, ViewerMessage } from '../../shared/pdfViewerProtocol';
import { renderTextLayer } from './textLayer';
import { PX_PER_PT, pageCssWidth, stepZoom } from './zoomSteps';

interface VsCodeApi {
  postMessage(message: ViewerMessage): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  zoom: number | 'fit';
}

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const viewport = $<HTMLElement>('viewport');
const sheet = $<HTMLElement>('sheet');
const image = $<HTMLImageElement>('page-image');
const textLayer = $<HTMLElement>('text-layer');
const pageInput = $<HTMLInputElement>('page');
const pageCountLabel = $<HTMLElement>('page-count');
const zoomLabel = $<HTMLElement>('zoom-level');
const messageLine = $<HTMLElement>('message');
const alternatives = $<HTMLElement>('alternatives');

let pageCount = 0;
let page = 1;
let zoom: number | 'fit' = vscode.getState()?.zoom ?? 'fit';
/** The last page drawn: its size in points decides the layout until the next one arrives. */
let shown: { page: number; widthPt: number; heightPt: number } | undefined;
let requestId = 0;
/** What the latest request assumed: the page's width in points and its width on screen. */
let pending = { widthPt: 612, cssWidth: 0 };
let imageUrl: string | undefined;

function show(target: number): void {
  if (!pageCount) return;
  page = Math.min(Math.max(1, Math.round(target)), pageCount);
  pageInput.value = String(page);
  $<HTMLButtonElement>('previous').disabled = page <= 1;
  $<HTMLButtonElement>('next').disabled = page >= pageCount;
  draw();
}

/** Asks the host for the current page at the width it will take on screen, in device pixels. */
function draw(): void {
  const widthPt = shown?.widthPt ?? 612;
  const cssWidth = pageCssWidth(widthPt, zoom, viewport.clientWidth);
  pending = { widthPt, cssWidth };
  layout(cssWidth);
  vscode.postMessage({ type: 'render', requestId: ++requestId, page, width: Math.min(8000, Math.round(cssWidth * window.devicePixelRatio)) });
  if (zoom !== 'fit') zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
  $('fit-width').setAttribute('aria-pressed', String(zoom === 'fit'));
  vscode.setState({ zoom });
}

/** Sizes the sheet now, so the old picture scales while the new one is drawn. */
function layout(cssWidth: number): void {
  const ratio = shown ? shown.heightPt / shown.widthPt : 11 / 8.5;
  sheet.style.width = `${cssWidth}px`;
  sheet.style.height = `${Math.round(cssWidth * ratio)}px`;
}

function effectiveZoom(): number {
  if (zoom !== 'fit') return zoom;
  return sheet.getBoundingClientRect().width / ((shown?.widthPt ?? 612) * PX_PER_PT);
}

function setZoom(next: number | 'fit'): void {
  zoom = next;
  draw();
}

function flash(text: string): void {
  messageLine.textContent = text;
}

$('previous').addEventListener('click', () => show(page - 1));
$('next').addEventListener('click', () => show(page + 1));
pageInput.addEventListener('change', () => show(Number(pageInput.value) || 1));
$('zoom-in').addEventListener('click', () => setZoom(stepZoom(effectiveZoom(), 1)));
$('zoom-out').addEventListener('click', () => setZoom(stepZoom(effectiveZoom(), -1)));
$('fit-width').addEventListener('click', () => setZoom('fit'));
$('copy-text').addEventListener('click', () => vscode.postMessage({ type: 'copyText', page }));

document.addEventListener('keydown', (event) => {
  if (event.target instanceof HTMLInputElement) return;
  const key = event.key;
  if (key === 'PageDown' || (key === 'ArrowRight' && !event.altKey)) show(page + 1);
  else if (key === 'PageUp' || (key === 'ArrowLeft' && !event.altKey)) show(page - 1);
  else if (key === 'Home' && !event.ctrlKey) show(1);
  else if (key === 'End' && !event.ctrlKey) show(pageCount);
  else if ((key === '+' || key === '=') && !event.ctrlKey && !event.metaKey) setZoom(stepZoom(effectiveZoom(), 1));
  else if (key === '-' && !event.ctrlKey && !event.metaKey) setZoom(stepZoom(effectiveZoom(), -1));
  else if (key === '0' && !event.ctrlKey && !event.metaKey) setZoom('fit');
  else return;
  event.preventDefault();
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  if (zoom !== 'fit') return;
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(draw, 150);
});

window.addEventListener('message', (event: MessageEvent<ViewerHostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'document':
      pageCount = message.pageCount;
      pageInput.max = String(pageCount);
      pageCountLabel.textContent = `of ${pageCount}`;
      document.title = message.name;
      alternatives.replaceChildren(
        ...message.alternatives.map((alternative) => {
          const button = document.createElement('button');
          button.textContent = `Open in ${alternative.label}`;
          button.addEventListener('click', () => vscode.postMessage({ type: 'openWith', viewType: alternative.viewType }));
          return button;
        }),
      );
      show(message.page);
      viewport.focus();
      break;
    case 'goToPage':
      show(message.page);
      break;
    case 'page': {
      if (message.requestId !== requestId) return; // a newer page is on its way
      shown = { page: message.page, widthPt: message.widthPt, heightPt: message.heightPt };
      // The request guessed another page size (the first page, or pages of mixed sizes): ask again.
      if (Math.abs(pending.widthPt - message.widthPt) > 0.5 && zoom !== 'fit') return draw();
      const cssWidth = pending.cssWidth;
      layout(cssWidth);
      if (imageUrl) URL.revokeObjectURL(imageUrl);
      imageUrl = URL.createObjectURL(new Blob([message.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
      image.src = imageUrl;
      image.alt = `Page ${message.page} of ${pageCount}`;
      sheet.dataset.page = String(message.page);
      renderTextLayer(textLayer, message.runs, cssWidth / message.widthPt);
      if (zoom === 'fit') zoomLabel.textContent = `${Math.round(effectiveZoom() * 100)}%`;
      flash('');
      break;
    }
    case 'failed':
      if (message.requestId !== undefined && message.requestId !== requestId) return;
      flash(message.message);
      break;
    case 'copied':
      flash(
        message.characters
          ? `Copied the text of page ${message.page} (${message.characters.toLocaleString('en')} characters).`
          : `Page ${message.page} has no text to copy.`,
      );
      break;
  }
});

vscode.postMessage({ type: 'ready' });
