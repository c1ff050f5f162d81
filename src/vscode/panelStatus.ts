import type { PanelStatus } from '../webview/protocol';
import { indexingPercent } from './indexingProgressText';
import type { ServiceState } from './sightlineService';

/** The index's state as the panel says it, with whether a key is set. */
export function panelStatus(state: ServiceState, hasKey: boolean, folders: readonly string[]): PanelStatus {
  switch (state.kind) {
    case 'empty':
      return { index: 'empty', message: 'Index this workspace first: Sightline searches what it has indexed.', folders, hasKey };
    case 'indexing': {
      const percent = state.progress ? indexingPercent(state.progress) : undefined;
      return { index: 'indexing', message: `Indexing${percent !== undefined ? ` ${percent}%` : ''}…`, ...(percent !== undefined ? { percent } : {}), folders, hasKey };
    }
    case 'error':
      return { index: 'error', message: state.message, folders, hasKey };
    case 'ready':
      return { index: 'ready', message: `${state.items.toLocaleString('en')} items indexed.`, folders, hasKey };
  }
}
