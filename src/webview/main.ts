import type { HostMessage, PanelMessage, PanelResult, QueryImage, ResultKind } from '../shared/panelProtocol';
import { renderResults } from './renderResults';
import { readImageFile } from './queryImage';

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
}

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLInputElement>('query');
const folderSelect = $<HTMLSelectElement>('folder');
const resultsList = $<HTMLElement>('results');
const statusLine = $<HTMLElement>('status');
const noticeLine = $<HTMLElement>('notice');
const imageChip = $<HTMLElement>('query-image');
const imageName = $<HTMLElement>('query-image-name');
const kindBoxes = [...document.querySelectorAll<HTMLInputElement>('input[name="kind"]')];

let state: SavedState = vscode.getState() ?? { text: '', kinds: [], folder: '' };
let requestId = 0;
let debounce: ReturnType<typeof setTimeout> | undefined;

function save(): void {
  vscode.setState(state);
}

function restore(): void {
  input.value = state.text;
  for (const box of kindBoxes) box.checked = state.kinds.includes(box.value as ResultKind);
  showImage(state.image);
}

function showImage(image: QueryImage | undefined): void {
  state.image = image;
  imageChip.hidden = !image;
  imageName.textContent = image ? image.name : '';
}

function search(): void {
  clearTimeout(debounce);
  state.text = input.value;
  state.kinds = kindBoxes.filter((b) => b.checked).map((b) => b.value as ResultKind);
  state.folder = folderSelect.value;
  save();
  if (!state.text.trim() && !state.image) {
    resultsList.replaceChildren();
    statusLine.textContent = 'Describe what you are looking for, or paste, drop or pick an image.';
    return;
  }
  statusLine.textContent = 'Searching…';
  vscode.postMessage({ type: 'search', requestId: ++requestId, text: state.text, kinds: state.kinds, folder: state.folder, ...(state.image ? { image: state.image } : {}) });
}

function searchSoon(): void {
  clearTimeout(debounce);
  debounce = setTimeout(search, 250);
}

function open(result: PanelResult): void {
  vscode.postMessage({ type: 'open', root: result.root, path: result.target ?? result.path, ...(result.target ? {} : { line: result.line, page: result.page, cell: result.cell }) });
}

function findSimilar(result: PanelResult): void {
  vscode.postMessage({ type: 'findSimilar', root: result.root, path: result.target ?? result.path });
}

async function useImageFile(file: File): Promise<void> {
  const image = await readImageFile(file);
  if (!image) {
    noticeLine.textContent = `${file.name} is not a PNG, JPEG, WebP or GIF image.`;
    return;
  }
  showImage(image);
  search();
}

input.addEventListener('input', searchSoon);
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') search();
  if (event.key === 'ArrowDown') (resultsList.querySelector('[data-result]') as HTMLElement | null)?.focus();
});
for (const box of kindBoxes) box.addEventListener('change', search);
folderSelect.addEventListener('change', search);
$('pick-image').addEventListener('click', () => vscode.postMessage({ type: 'pickImage' }));
$('clear-image').addEventListener('click', () => {
  showImage(undefined);
  search();
});
$('index-workspace').addEventListener('click', () => vscode.postMessage({ type: 'indexWorkspace' }));

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

// Arrow keys move between results, Enter opens, S finds similar images.
resultsList.addEventListener('keydown', (event) => {
  const items = [...resultsList.querySelectorAll<HTMLElement>('[data-result]')];
  const at = items.indexOf(document.activeElement as HTMLElement);
  if (at < 0) return;
  if (event.key === 'ArrowDown' || event.key === 'ArrowRight') items[Math.min(at + 1, items.length - 1)]?.focus();
  else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') (at === 0 ? input : items[at - 1])?.focus();
  else return;
  event.preventDefault();
});

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'status': {
      statusLine.textContent = message.message;
      document.body.dataset.state = message.state;
      const current = state.folder;
      folderSelect.replaceChildren(new Option('All folders', ''), ...message.folders.map((f) => new Option(f, f)));
      folderSelect.value = message.folders.includes(current) ? current : '';
      folderSelect.hidden = message.folders.length < 2;
      break;
    }
    case 'results':
      if (message.requestId !== requestId) return; // a newer search is on its way
      noticeLine.textContent = message.notice ?? '';
      statusLine.textContent = message.results.length ? `${message.results.length} results for ${message.queryLabel}` : `No results for ${message.queryLabel}`;
      renderResults(resultsList, message.results, { open, findSimilar });
      break;
    case 'searchFailed':
      if (message.requestId !== requestId) return;
      statusLine.textContent = message.message;
      break;
    case 'queryImage':
      showImage(message.image);
      search();
      break;
    case 'setQuery':
      input.value = message.text;
      showImage(undefined);
      if (message.similarTo) {
        // The host runs this search itself and answers with request id -1.
        requestId = -1;
        state.text = message.text;
        save();
        statusLine.textContent = `Finding images like ${message.similarTo.path}…`;
      } else {
        search();
      }
      break;
  }
});

restore();
vscode.postMessage({ type: 'ready' });
if (state.text || state.image) search();
