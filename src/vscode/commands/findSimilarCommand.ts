import * as vscode from 'vscode';
import type { ExtensionServices } from '../extensionServices';
import { SearchPanel } from '../searchPanel';
import { rootForUri, workspaceRoots } from '../workspaceRoots';

/**
 * Find Similar Images: from the explorer's context menu (a URI), the image preview's title bar
 * or the palette (the active tab). The panel shows the answer whatever state it is in.
 */
export async function findSimilarImages(services: ExtensionServices, uri?: vscode.Uri): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : activeImageUri();
  const file = target && rootForUri(target, workspaceRoots());
  if (!file) {
    void vscode.window.showWarningMessage('Find Similar Images works on image files inside the workspace.');
    return;
  }
  await SearchPanel.show(services).showSimilar(file.root, file.path);
}

/** The image open in the built-in image preview, for the preview's title-bar button. */
function activeImageUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
}
