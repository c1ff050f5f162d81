import type { DuplicateFileView, DuplicateGroupView, DuplicatesHostMessage, DuplicatesMessage } from '../../shared/duplicatesProtocol';

interface VsCodeApi {
  postMessage(message: DuplicatesMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const summary = document.getElementById('summary')!;
const groupsList = document.getElementById('groups')!;

/** Each group's images side by side, with what tells copies apart: size, date, folder. Text through textContent only. */
function render(groups: readonly DuplicateGroupView[]): void {
  const files = groups.reduce((n, g) => n + g.files.length, 0);
  summary.textContent = groups.length
    ? `${groups.length} group${groups.length === 1 ? '' : 's'} of duplicate images, ${files} files. Delete moves a file to the trash.`
    : 'No duplicate images in the index.';
  groupsList.replaceChildren(
    ...groups.map((group, index) => {
      const section = element('section', `group kind-${group.kind}`);
      const heading = element('h2', '');
      heading.textContent = `${index + 1}. ${group.title}`;
      const detail = element('p', 'detail');
      detail.textContent = group.detail;
      const row = element('ul', 'copies');
      row.append(...group.files.map((file) => card(file)));
      section.append(heading, detail, row);
      return section;
    }),
  );
}

function card(file: DuplicateFileView): HTMLElement {
  const item = element('li', 'copy');
  item.dataset.path = file.path;
  const frame = element('div', 'thumb');
  if (file.thumbnail) {
    const image = document.createElement('img');
    image.src = file.thumbnail;
    image.alt = '';
    frame.append(image);
  }
  const name = element('div', 'name');
  name.textContent = file.name;
  name.title = file.path;
  const folder = element('div', 'folder');
  folder.textContent = file.folder || '(top folder)';
  const facts = element('div', 'facts');
  facts.textContent = `${formatBytes(file.bytes)} · modified ${new Date(file.modified).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;
  const actions = element('div', 'actions');
  for (const [label, type] of [
    ['Open', 'open'],
    ['Reveal', 'reveal'],
    ['Delete…', 'delete'],
  ] as const) {
    const button = element('button', type);
    button.textContent = label;
    button.setAttribute('aria-label', `${label.replace('…', '')} ${file.path}`);
    button.addEventListener('click', () => vscode.postMessage({ type, root: file.root, path: file.path }));
    actions.append(button);
  }
  item.append(frame, name, folder, facts, actions);
  return item;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

window.addEventListener('message', (event: MessageEvent<DuplicatesHostMessage>) => {
  const message = event.data;
  if (message.type === 'groups') render(message.groups);
  else summary.textContent = message.message;
});

vscode.postMessage({ type: 'ready' });
