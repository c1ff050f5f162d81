import { readFileSync } from 'node:fs';
import { ConfigurationTarget } from './types';

interface ContributedProperty {
  readonly default?: unknown;
}

/** Defaults as package.json declares them, so `inspect().defaultValue` is what VS Code would say. */
const DEFAULTS: ReadonlyMap<string, unknown> = new Map(
  Object.entries(
    (
      JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
        contributes: { configuration: { properties: Record<string, ContributedProperty> } };
      }
    ).contributes.configuration.properties,
  ).map(([key, property]) => [key, property.default]),
);

/**
 * Settings at two levels, user (global) and workspace, that a test sets per key. The fake does
 * not apply package.json scopes the way VS Code does, so code that must ignore workspace values
 * has to do it itself, which is what the tests check.
 */
export class FakeSettings {
  readonly user = new Map<string, unknown>();
  readonly workspace = new Map<string, unknown>();
  readonly updates: Array<{ key: string; value: unknown; target: ConfigurationTarget }> = [];

  setUser(key: string, value: unknown): void {
    this.user.set(key, value);
  }

  setWorkspace(key: string, value: unknown): void {
    this.workspace.set(key, value);
  }

  reset(): void {
    this.user.clear();
    this.workspace.clear();
    this.updates.length = 0;
  }

  section(section?: string): FakeConfiguration {
    return new FakeConfiguration(this, section ? `${section}.` : '');
  }
}

export class FakeConfiguration {
  constructor(
    private readonly settings: FakeSettings,
    private readonly prefix: string,
  ) {}

  get<T>(key: string, fallback?: T): T | undefined {
    const full = this.prefix + key;
    for (const level of [this.settings.workspace, this.settings.user]) if (level.has(full)) return level.get(full) as T;
    return DEFAULTS.has(full) ? (DEFAULTS.get(full) as T) : fallback;
  }

  has(key: string): boolean {
    const full = this.prefix + key;
    return this.settings.workspace.has(full) || this.settings.user.has(full) || DEFAULTS.has(full);
  }

  inspect<T>(key: string): { key: string; defaultValue?: T; globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T } {
    const full = this.prefix + key;
    return {
      key: full,
      defaultValue: DEFAULTS.get(full) as T | undefined,
      globalValue: this.settings.user.get(full) as T | undefined,
      workspaceValue: this.settings.workspace.get(full) as T | undefined,
    };
  }

  async update(key: string, value: unknown, target?: ConfigurationTarget | boolean): Promise<void> {
    const level = target === true || target === ConfigurationTarget.Global ? ConfigurationTarget.Global : ConfigurationTarget.Workspace;
    const full = this.prefix + key;
    this.settings.updates.push({ key: full, value, target: level });
    const values = level === ConfigurationTarget.Global ? this.settings.user : this.settings.workspace;
    if (value === undefined) values.delete(full);
    else values.set(full, value);
  }
}
