import { type Direction, nextInDirection } from './gridNavigation';
import { queryWords } from './highlight';
import type { HostMessage, PanelMatch, PanelMessage, PanelQuery, PanelResult, PanelStatus, QueryImage, ResultKind } from '../shared/panelProtocol';
import { MAX_QUERY_IMAGE_BYTES, queryImageTooLarge } from '../shared/panelProtocol';
import { readImageFile } from './queryImage';
import { fileKey, renderResults } from './renderResults';
import { renderHeading } from './resultsHeading';

interface VsCodeApi {
  postMessage(message: PanelMessage): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  text: string;
  kinds: ResultKind[];
  folder: string;
  image?: QueryImage;
  similarTo?: { root: string; path: string };
}

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLInputElement>('query');
const folderSelect = $<HTMLSelectElement>('folder');
const resultsList = $<HTMLElement>('results');
const summary = $<HTMLElement>('summary');
const indexMessage = $<HTMLElement>('index-message');
const notice = $<HTMLElement>('notice');
const noticeText = $<HTMLElement>('notice-text');
const noticeAction = $<HTMLButtonElement>('notice-action');
const imageChip = $<HTMLElement>('query-image');
const imageName = $<HTMLElement>('query-image-name');
const kindBoxes = [...document.querySelectorAll<HTMLInputElement>('input[name="kind"]')];

let state: SavedState = { text: '', kinds: [], folder: '', ...vscode.getState() };
let status: PanelStatus | undefined;
let requestId = 0;
let debounce: ReturnType<typeof setTimeout> | undefined;
/** The results on screen and how they are shown. */
let view = { results: [] as readonly PanelResult[], weakFrom: 0, showWeak: false, expanded: new Set<string>(), words: [] as string[] };

function save(): void {
  vscode.setState(state);
}

function showQueryInputs(): void {
  input.value = state.text;
  for (const box of kindBoxes) box.checked = state.kinds.includes(box.value as ResultKind);
  imageChip.hidden = !state.image;
  imageName.textContent = state.image?.name ?? '';
}

function hasQuery(): boolean {
  return !!(state.text.trim() || state.image || state.similarTo);
}

/** Sends the query on screen; nothing before there is an index to search. */
function search(): void {
  clearTimeout(debounce);
  state.kinds = kindBoxes.filter((b) => b.checked).map((b) => b.value as ResultKind);
  state.folder = folderSelect.value;
  save();
  if (!hasQuery()) {
    clearResults();
    summary.textContent = status?.index === 'ready' ? `Describe what you are looking for, or paste, drop or pick an image. ${status.message}` : '';
    return;
  }
  if (!status || status.index === 'empty') return clearResults();
  summary.textContent = state.similarTo ? `Finding images like ${state.similarTo.path}…` : 'Searching…';
  vscode.postMessage({
    type: 'search',
    requestId: ++requestId,
    text: state.text,
    kinds: state.kinds,
    folder: state.folder,
    ...(state.image ? { image: state.image } : {}),
    ...(state.similarTo ? { similarTo: state.similarTo } : {}),
  });
}

function clearResults(): void {
  view = { ...view, results: [], weakFrom: 0, showWeak: false };
  resultsList.replaceChildren();
  showNotice(undefined);
}

/** Typing starts a new query: words (with the image, if one is set), no longer Find Similar. */
function typed(): void {
  state.text = input.value;
  state.similarTo = undefined;
  clearTimeout(debounce);
  debounce = setTimeout(search, 250);
}

/** A query the host asked for (Find Similar): replaces what is on screen and clears filters that would hide its answers. */
function runQuery(query: PanelQuery): void {
  state = { text: query.text, kinds: [], folder: '', ...(query.similarTo ? { similarTo: query.similarTo } : {}) };
  folderSelect.value = '';
  view.expanded.clear();
  showQueryInputs();
  search();
}

function showStatus(next: PanelStatus): void {
  const previous = status;
  status = next;
  document.body.dataset.state = next.index;
  indexMessage.textContent = next.index === 'ready' ? '' : next.message;
  const current = state.folder;
  folderSelect.replaceChildren(new Option('All folders', ''), ...next.folders.map((f) => new Option(f, f)));
  folderSelect.value = next.folders.includes(current) ? current : '';
  folderSelect.hidden = next.folders.length < 2;
  // What the results say may no longer be true: a key was set, or indexing finished.
  const keyArrived = previous && !previous.hasKey && next.hasKey;
  const indexArrived = previous && previous.index !== 'ready' && next.index === 'ready';
  if (previous && (keyArrived || indexArrived)) search();
  else if (!previous) search();
}

function showNotice(text: string | undefined, action?: 'setApiKey'): void {
  notice.hidden = !text;
  noticeText.textContent = text ?? '';
  noticeAction.hidden = action !== 'setApiKey';
}

function render(): void {
  const focused = (document.activeElement as HTMLElement | null)?.dataset;
  renderResults(resultsList, view, actions);
  // Keep the keyboard where it was when the list is redrawn (a refresh, a toggle).
  if (focused?.result) {
    const same = resultsList.querySelector<HTMLElement>(`[data-result="${CSS.escape(focused.result)}"][data-file="${CSS.escape(focused.file ?? '')}"]`);
    same?.focus();
  }
}

const actions = {
  open(result: PanelResult, match: PanelMatch, inPanelGroup: boolean) {
    const figure = match.part === 'figure' && match.target;
    vscode.postMessage({
      type: 'open',
      root: result.root,
      path: result.path,
      ...(figure ? {} : { line: match.line, page: match.page, cell: match.cell }),
      ...(figure ? { path: match.target } : {}),
      inPanelGroup,
    });
  },
  findSimilar(result: PanelResult, match: PanelMatch) {
    vscode.postMessage({ type: 'findSimilar', root: result.root, path: match.target ?? result.path });
  },
  reveal(result: PanelResult) {
    vscode.postMessage({ type: 'reveal', root: result.root, path: result.path });
  },
  toggleMore(result: PanelResult) {
    const key = fileKey(result);
    if (!view.expanded.delete(key)) view.expanded.add(key);
    render();
  },
  showWeaker() {
    view.showWeak = true;
    render();
    resultsList.querySelector<HTMLElement>(`[data-result="${view.weakFrom}"]`)?.focus();
  },
};

async function useImageFile(file: File): Promise<void> {
  // The host refuses larger images: say so here, instead of waiting for an answer that never comes.
  if (file.size > MAX_QUERY_IMAGE_BYTES) {
    showNotice(queryImageTooLarge(file.name || 'The pasted image', file.size));
    return;
  }
  const image = await readImageFile(file);
  if (!image) {
    showNotice(`${file.name} is not a PNG, JPEG, WebP or GIF image.`);
    return;
  }
  state.image = image;
  state.similarTo = undefined;
  showQueryInputs();
  search();
}

input.addEventListener('input', typed);
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') search();
  else if (event.key === 'ArrowDown') navItems()[0]?.focus();
  else return;
  event.preventDefault();
});
for (const box of kindBoxes) box.addEventListener('change', search);
folderSelect.addEventListener('change', search);
$('pick-image').addEventListener('click', () => vscode.postMessage({ type: 'pickImage' }));
$('clear-image').addEventListener('click', () => {
  state.image = undefined;
  showQueryInputs();
  search();
});
$('index-workspace').addEventListener('click', () => vscode.postMessage({ type: 'indexWorkspace' }));
noticeAction.addEventListener('click', () => vscode.postMessage({ type: 'setApiKey' }));

document.addEventListener('paste', (event) => {
  const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
  if (file) {
    event.preventDefault();
    void useImageFile(file);
  }
});
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (event) => {
  event.preventDefault();
  document.body.classList.remove('dragging');
  const file = [...(event.dataTransfer?.files ?? [])].find((f) => f.type.startsWith('image/'));
  if (file) void useImageFile(file);
});

function navItems(): HTMLElement[] {
  return [...resultsList.querySelectorAll<HTMLElement>('.nav-item')];
}

const ARROWS: Record<string, Direction> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

// Arrows move by what is on screen (two dimensions in the image grid), Home/End to the ends,
// Escape back to the search box.
resultsList.addEventListener('keydown', (event) => {
  const items = navItems();
  const at = items.indexOf(document.activeElement as HTMLElement);
  if (at < 0) return;
  let target: HTMLElement | undefined;
  const direction = ARROWS[event.key];
  if (direction) {
    const next = nextInDirection(
      items.map((item) => item.getBoundingClientRect()),
      at,
      direction,
    );
    target = next === undefined ? (direction === 'up' ? input : undefined) : items[next];
  } else if (event.key === 'Home') target = items[0];
  else if (event.key === 'End') target = items[items.length - 1];
  else if (event.key === 'Escape') target = input;
  else return;
  event.preventDefault();
  target?.focus();
  target?.scrollIntoView({ block: 'nearest' });
});

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      // The host's query (Find Similar) wins over the one saved when the page was last shown.
      if (message.query) {
        status = message.status;
        showStatus(message.status);
        runQuery(message.query);
      } else {
        showQueryInputs();
        showStatus(message.status);
      }
      break;
    case 'status':
      showStatus(message.status);
      break;
    case 'runQuery':
      runQuery(message.query);
      break;
    case 'results':
      if (message.requestId !== requestId) return; // a newer search is on its way
      showNotice(message.notice, message.noticeAction);
      view = {
        results: message.results,
        weakFrom: message.weakFrom,
        showWeak: false,
        expanded: view.expanded,
        words: state.similarTo ? [] : queryWords(state.text),
      };
      renderHeading(summary, message.heading, message.results.length, message.results.length - message.weakFrom);
      render();
      break;
    case 'searchFailed':
      if (message.requestId !== requestId) return;
      summary.textContent = message.message;
      break;
    case 'queryImage':
      state.image = message.image;
      state.similarTo = undefined;
      showQueryInputs();
      search();
      break;
  }
});

vscode.postMessage({ type: 'ready' });
