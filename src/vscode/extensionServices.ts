import type * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKeyStore';
import type { IndexService } from './indexService';
import type { UploadConsent } from './uploadConsent';

/** What the commands share; built once in activate(). */
export interface ExtensionServices {
  readonly service: IndexService;
  readonly keys: ApiKeyStore;
  readonly consent: UploadConsent;
  readonly log: vscode.LogOutputChannel;
  readonly workspaceState: vscode.Memento;
  readonly extensionUri: vscode.Uri;
}
