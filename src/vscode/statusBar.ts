import * as vscode from 'vscode';
import type { IndexService, ServiceState } from './indexService';
import { formatEta, hasWork, itemCountsText } from './progressText';

/** One item that says what the index is doing; clicking it opens the search panel. */
export function createStatusBar(service: IndexService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('sightline.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Sightline';
  item.command = 'sightline.openSearchPanel';
  const render = (state: ServiceState) => {
    const view = statusText(state);
    item.text = view.text;
    item.tooltip = view.tooltip;
    item.backgroundColor = state.kind === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  render(service.state);
  const subscription = service.onDidChangeState(render);
  return vscode.Disposable.from(item, subscription);
}

export function statusText(state: ServiceState): { text: string; tooltip: string } {
  switch (state.kind) {
    case 'empty':
      return { text: '$(search) Sightline', tooltip: 'Sightline: not indexed yet. Click to open the search panel.' };
    case 'ready': {
      const items = `${state.items.toLocaleString('en')} items`;
      if (state.opening)
        return {
          text: '$(sync~spin) Sightline: opening index',
          tooltip: `Sightline: opening the index of ${items}. A search now waits for it. Click to search.`,
        };
      return {
        text: `$(search) Sightline: ${items}`,
        tooltip: `Sightline: ${items}${state.files >= 0 ? ` from ${state.files.toLocaleString('en')} files` : ''} indexed. Click to search.`,
      };
    }
    case 'indexing': {
      const p = state.progress;
      if (!p) return { text: '$(sync~spin) Sightline: indexing', tooltip: 'Indexing…' };
      const share = hasWork(p) ? ` ${Math.floor(p.fraction * 100)}%` : '';
      const counts = itemCountsText(p);
      const eta = p.etaSeconds !== undefined && hasWork(p) ? `, about ${formatEta(p.etaSeconds)} left` : '';
      return { text: `$(sync~spin) Sightline: indexing${share}`, tooltip: `Indexing: ${counts || `${p.filesSeen.toLocaleString('en')} files seen`}${eta}` };
    }
    case 'error':
      return { text: '$(error) Sightline', tooltip: `Sightline: ${state.message}` };
  }
}
