import * as vscode from 'vscode';
import type { ExtensionServices } from './extensionServices';

/**
 * The context keys the getting-started walkthrough's steps complete on (package.json
 * `completionEvents`): a key is set, the workspace is indexed, a search and a Find Similar were
 * answered. VS Code remembers a completed step, so the keys only need to turn true once.
 */
export function trackWalkthroughProgress({ service, keys }: ExtensionServices): vscode.Disposable {
  const set = (key: string, value: boolean) => void vscode.commands.executeCommand('setContext', key, value);
  const checkKey = () => void service.hasKey().then((has) => set('sightline.hasApiKey', has));
  const checkIndex = () => set('sightline.indexed', service.state.kind === 'ready');
  checkKey();
  checkIndex();
  return vscode.Disposable.from(
    keys.onDidChange(checkKey),
    service.onDidChangeState(checkIndex),
    service.onDidSearch((kind) => set(kind === 'similar' ? 'sightline.foundSimilar' : 'sightline.searched', true)),
  );
}
