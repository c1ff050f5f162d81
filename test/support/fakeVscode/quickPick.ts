import { EventEmitter } from './events';

interface Item {
  readonly label: string;
}

/** window.createQuickPick(): state a test can read, and the user's typing, accepting and buttons. */
export class FakeQuickPick<T extends Item = Item> {
  title: string | undefined;
  placeholder: string | undefined;
  value = '';
  items: readonly T[] = [];
  selectedItems: readonly T[] = [];
  activeItems: readonly T[] = [];
  busy = false;
  matchOnDescription = false;
  matchOnDetail = false;
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
