import { EventEmitter } from './events';

/** workspaceState / globalState: a map with VS Code's get/update/keys. */
export class FakeMemento {
  readonly values = new Map<string, unknown>();

  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  setKeysForSync(): void {}
}

/** SecretStorage that keeps secrets in memory and records which keys were touched. */
export class FakeSecretStorage {
  readonly secrets = new Map<string, string>();
  readonly calls: Array<{ op: 'get' | 'store' | 'delete'; key: string }> = [];
  private readonly changes = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changes.event;

  async get(key: string): Promise<string | undefined> {
    this.calls.push({ op: 'get', key });
    return this.secrets.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.calls.push({ op: 'store', key });
    this.secrets.set(key, value);
    this.changes.fire({ key });
  }

  async delete(key: string): Promise<void> {
    this.calls.push({ op: 'delete', key });
    this.secrets.delete(key);
    this.changes.fire({ key });
  }

  async keys(): Promise<string[]> {
    return [...this.secrets.keys()];
  }
}
