import * as vscode from 'vscode';
import type { ExtensionServices } from '../extensionServices';
import { hostOf } from '../secretKey';
import { readSettings } from '../settingsReader';

export async function setApiKey({ keys }: ExtensionServices): Promise<void> {
  const { endpoint } = readSettings();
  const key = await vscode.window.showInputBox({
    title: `Sightline: API key for ${hostOf(endpoint)}`,
    prompt: `Stored in VS Code's secret storage and sent only to ${hostOf(endpoint)}. Leave empty to remove the stored key.`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: 'API key or token',
  });
  if (key === undefined) return;
  if (!key.trim()) {
    await keys.delete(endpoint);
    void vscode.window.showInformationMessage(`Sightline: removed the API key for ${hostOf(endpoint)}.`);
    return;
  }
  await keys.set(endpoint, key);
  void vscode.window.showInformationMessage(`Sightline: API key for ${hostOf(endpoint)} saved.`);
}

export async function selectModel({ service }: ExtensionServices): Promise<void> {
  const settings = readSettings();
  const client = await service.client(settings);
  if (!client) {
    void vscode.window.showWarningMessage(`Set an API key for ${hostOf(settings.endpoint)} first ("Sightline: Set API Key").`);
    return;
  }
  try {
    const models = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Sightline: asking ${hostOf(settings.endpoint)} for its models…`, cancellable: true },
      (_p, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return client.listModels(controller.signal);
      },
    );
    const picked = await vscode.window.showQuickPick(
      models.map((id) => ({ label: id, description: id === settings.model ? 'current' : /embed/i.test(id) ? 'embedding model' : undefined })),
      { title: 'Sightline: embedding model', placeHolder: 'Pick the model that computes embeddings' },
    );
    if (!picked || picked.label === settings.model) return;
    await vscode.workspace.getConfiguration('sightline').update('model', picked.label, vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(`Sightline now uses ${picked.label}. The index will be rebuilt on the next Index Workspace.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Sightline: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await client.close();
  }
}
