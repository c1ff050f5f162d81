import * as vscode from 'vscode';
import type { CacheTokenStore } from '../cacheTokenStore';
import { secretKeyForCache } from '../cacheTokenStore';
import { hostOf } from '../secretKey';
import { readSettings } from '../settingsReader';

/** Set Shared Cache Token: the bearer token for the https cache `sightline.sharedCache` names. */
export async function setSharedCacheToken(tokens: CacheTokenStore): Promise<void> {
  const { sharedCache } = readSettings();
  if (!secretKeyForCache(sharedCache)) {
    void vscode.window.showInformationMessage(
      'Sightline: a token is only needed for a shared cache fetched over https. Set "sightline.sharedCache" to its URL first (in User or Remote settings).',
    );
    return;
  }
  const host = hostOf(sharedCache);
  const token = await vscode.window.showInputBox({
    title: `Sightline: token for the shared cache at ${host}`,
    prompt: `Stored in VS Code's secret storage and sent only to ${host}. Leave empty to remove the stored token.`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: 'Bearer token',
  });
  if (token === undefined) return;
  if (!token.trim()) {
    await tokens.delete(sharedCache);
    void vscode.window.showInformationMessage(`Sightline: removed the shared cache token for ${host}.`);
    return;
  }
  await tokens.set(sharedCache, token);
  void vscode.window.showInformationMessage(`Sightline: shared cache token for ${host} saved.`);
}
