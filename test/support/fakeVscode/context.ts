import type * as vscode from 'vscode';
import { FakeMemento, FakeSecretStorage } from './storage';
import { Uri } from './uri';

export interface FakeExtensionContext {
  readonly context: vscode.ExtensionContext;
  readonly secrets: FakeSecretStorage;
  readonly workspaceState: FakeMemento;
  readonly subscriptions: Array<{ dispose(): unknown }>;
}

/** The ExtensionContext activate() gets: storage in memory, the extension at `extensionPath`. */
export function fakeExtensionContext(options: { extensionPath: string; storagePath?: string }): FakeExtensionContext {
  const secrets = new FakeSecretStorage();
  const workspaceState = new FakeMemento();
  const subscriptions: Array<{ dispose(): unknown }> = [];
  const context = {
    subscriptions,
    secrets,
    workspaceState,
    globalState: new FakeMemento(),
    extensionUri: Uri.file(options.extensionPath),
    extensionPath: options.extensionPath,
    storageUri: options.storagePath === undefined ? undefined : Uri.file(options.storagePath),
  };
  return { context: context as unknown as vscode.ExtensionContext, secrets, workspaceState, subscriptions };
}
