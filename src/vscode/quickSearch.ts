import * as vscode from 'vscode';
import type { SearchResult } from '../core/index/search/searchTypes';
import type { ExtensionServices } from './extensionServices';
import { openResult } from './openResult';
import { kindIcon, resultLabels } from './resultLabels';
import { workspaceRoots } from './workspaceRoots';

interface ResultItem extends vscode.QuickPickItem {
  readonly result?: SearchResult;
  /** The "Index this workspace first" row. */
  readonly indexWorkspace?: true;
}

/** The parts of the quick pick that VS Code's public typings leave out but its extension host honours. */
interface UnfilteredQuickPick {
  /** Proposed API (quickPickSortByLabel), honoured by the host: keep the items in our order. */
  sortByLabel?: boolean;
  /** Internal to the workbench; set too, in case a VS Code lets extensions switch label matching off. */
  matchOnLabel?: boolean;
}

const SIMILAR_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('search'), tooltip: 'Find similar images' };
const INDEX_FIRST: ResultItem = {
  label: '$(database) Index this workspace first',
  detail: 'Sightline searches what it has indexed; Index Workspace embeds the images, markdown and PDFs here.',
  alwaysShow: true,
  indexWorkspace: true,
};

/**
 * The command-palette search: results follow the typing (debounced, and a newer query cancels
 * the one in flight), Enter opens the result where it points, a row button finds similar images.
 * Results are ranked by meaning, so VS Code must neither hide rows whose label lacks the typed
 * words nor re-sort them: every item is alwaysShow (set before the items are assigned, since the
 * quick pick copies them on assignment), matching on description and detail is off, and so is
 * sorting by label.
 */
export function showQuickSearch(services: ExtensionServices, findSimilar: (root: string, path: string) => void): void {
  const pick = vscode.window.createQuickPick<ResultItem>();
  pick.title = 'Sightline: search screenshots and documents';
  pick.placeholder = 'Describe what you are looking for, e.g. "login screen in dark mode"';
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  const unfiltered = pick as unknown as UnfilteredQuickPick;
  unfiltered.sortByLabel = false;
  unfiltered.matchOnLabel = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;
  const notIndexed = () => services.service.state.kind === 'empty';

  const run = async (text: string) => {
    inFlight?.abort();
    if (notIndexed()) {
      pick.items = [INDEX_FIRST];
      return;
    }
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
      const showRoot = workspaceRoots().length > 1;
      pick.items = response.results.map((result) => toItem(result, showRoot));
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
    if (item.indexWorkspace) void vscode.commands.executeCommand('sightline.indexWorkspace');
    else if (item.result)
      void openResult(item.result).catch((error: unknown) =>
        vscode.window.showErrorMessage(`Sightline: ${error instanceof Error ? error.message : String(error)}`),
      );
  });
  pick.onDidTriggerItemButton(({ item }) => {
    if (!item.result) return;
    pick.hide();
    findSimilar(item.result.root, item.result.target ?? item.result.path);
  });
  pick.onDidHide(() => {
    inFlight?.abort();
    clearTimeout(timer);
    pick.dispose();
  });
  if (notIndexed()) pick.items = [INDEX_FIRST];
  pick.show();
}

function toItem(result: SearchResult, showRoot: boolean): ResultItem {
  const labels = resultLabels(result, { showRoot });
  return {
    label: `${kindIcon(result)} ${labels.title}`,
    description: [labels.folder, labels.where].filter(Boolean).join(' — '),
    detail: labels.snippet || undefined,
    buttons: result.kind === 'image' || result.part === 'figure' ? [SIMILAR_BUTTON] : [],
    alwaysShow: true,
    result,
  };
}
