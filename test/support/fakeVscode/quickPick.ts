import { EventEmitter } from './events';

interface Item {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly alwaysShow?: boolean;
}

/**
 * window.createQuickPick(): state a test can read, and the user's typing, accepting and buttons.
 * Like VS Code, it copies the items when they are assigned (changing an item afterwards changes
 * nothing on screen) and `shownItems` filters and sorts them the way the workbench does.
 */
export class FakeQuickPick<T extends Item = Item> {
  title: string | undefined;
  placeholder: string | undefined;
  value = '';
  selectedItems: readonly T[] = [];
  activeItems: readonly T[] = [];
  busy = false;
  matchOnDescription = false;
  matchOnDetail = false;
  sortByLabel = true;
  private assigned: readonly T[] = [];
  /** The items as they were when assigned: what VS Code received. */
  private copies: readonly Item[] = [];
  visible = false;
  disposed = false;
  private readonly valueEmitter = new EventEmitter<string>();
  private readonly acceptEmitter = new EventEmitter<void>();
  private readonly buttonEmitter = new EventEmitter<{ button: unknown; item: T }>();
  private readonly hideEmitter = new EventEmitter<void>();
  readonly onDidChangeValue = this.valueEmitter.event;
  readonly onDidAccept = this.acceptEmitter.event;
  readonly onDidTriggerItemButton = this.buttonEmitter.event;
  readonly onDidHide = this.hideEmitter.event;
  readonly onDidChangeSelection = new EventEmitter<readonly T[]>().event;
  readonly onDidChangeActive = new EventEmitter<readonly T[]>().event;

  get items(): readonly T[] {
    return this.assigned;
  }

  set items(items: readonly T[]) {
    this.assigned = items;
    this.copies = items.map((item) => ({ ...item }));
  }

  /**
   * The rows on screen for the typed value: a row shows when the value fuzzy-matches its label
   * (always checked), its description or detail (when matchOn* is set), or when it was
   * alwaysShow at assignment. While sortByLabel is on, rows whose label matches move first.
   */
  get shownItems(): readonly T[] {
    const query = this.value.trim().toLowerCase();
    if (!query) return this.assigned;
    const rows = this.copies.map((copy, index) => ({ index, labelMatch: fuzzyMatch(query, copy.label), copy }));
    const shown = rows.filter(
      ({ copy, labelMatch }) =>
        labelMatch ||
        (this.matchOnDescription && fuzzyMatch(query, copy.description ?? '')) ||
        (this.matchOnDetail && fuzzyMatch(query, copy.detail ?? '')) ||
        copy.alwaysShow,
    );
    if (this.sortByLabel) shown.sort((a, b) => Number(b.labelMatch) - Number(a.labelMatch));
    return shown.map(({ index }) => this.assigned[index]!);
  }

  show(): void {
    this.visible = true;
  }

  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.hideEmitter.fire();
  }

  dispose(): void {
    this.disposed = true;
  }

  type(value: string): void {
    this.value = value;
    this.valueEmitter.fire(value);
  }

  accept(item: T): void {
    this.selectedItems = [item];
    this.acceptEmitter.fire();
  }

  triggerButton(item: T, button: unknown = {}): void {
    this.buttonEmitter.fire({ button, item });
  }
}

/** VS Code's fuzzy match, near enough: the query's characters appear in order in the text. */
function fuzzyMatch(query: string, text: string): boolean {
  const target = text.replace(/\$\([\w-]+(?:~[\w-]+)?\)/g, '').toLowerCase();
  let at = 0;
  for (const character of query.replace(/\s+/g, '')) {
    at = target.indexOf(character, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}
