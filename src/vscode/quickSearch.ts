import * as vscode from 'vscode';
import type { SearchResult } from '../core/index/search/searchTypes';
import type { ExtensionServices } from './extensionServices';
import { openResult } from './openResult';
import { kindIcon, resultLabels } from './resultLabels';

interface ResultItem extends vscode.QuickPickItem {
  readonly result: SearchResult;
}

const SIMILAR_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('search'), tooltip: 'Find similar images' };

/**
 * The command-palette search: results follow the typing (debounced, and a newer query cancels
 * the one in flight), Enter opens the result where it points, a row button finds similar images.
 */
export function showQuickSearch(services: ExtensionServices, findSimilar: (root: string, path: string) => void): void {
  const pick = vscode.window.createQuickPick<ResultItem>();
  pick.title = 'Sightline: search screenshots and documents';
  pick.placeholder = 'Describe what you are looking for, e.g. "login screen in dark mode"';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;

  const run = async (text: string) => {
    inFlight?.abort();
    if (!text.trim()) {
      pick.items = [];
      pick.busy = false;
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    pick.busy = true;
    try {
      const response = await services.service.search({ text }, { top: 30, signal: controller.signal });
      if (controller.signal.aborted) return;
      pick.items = response.results.map(toItem);
      // VS Code filters items by the typed text; results are already ranked by meaning.
      pick.items.forEach((item) => ((item as { alwaysShow?: boolean }).alwaysShow = true));
      pick.title = response.notice ? `Sightline: ${response.notice}` : `Sightline: ${response.results.length} results`;
    } catch (error) {
      if (!controller.signal.aborted) pick.title = `Sightline: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      if (inFlight === controller) pick.busy = false;
    }
  };

  pick.onDidChangeValue((value) => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(value), 200);
  });
  pick.onDidAccept(() => {
    const item = pick.selectedItems[0];
    if (!item) return;
    pick.hide();
    void openResult(item.result).catch((error: unknown) => vscode.window.showErrorMessage(String(error)));
  });
  pick.onDidTriggerItemButton(({ item }) => {
    pick.hide();
    findSimilar(item.result.root, item.result.target ?? item.result.path);
  });
  pick.onDidHide(() => {
    inFlight?.abort();
    clearTimeout(timer);
    pick.dispose();
  });
  pick.show();
}

function toItem(result: SearchResult): ResultItem {
  const labels = resultLabels(result);
  return {
    label: `${kindIcon(result)} ${labels.name}`,
    description: [labels.folder, labels.where].filter(Boolean).join(' — '),
    detail: labels.snippet || undefined,
    buttons: result.kind === 'image' ? [SIMILAR_BUTTON] : [],
    result,
  };
}
