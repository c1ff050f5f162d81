import type { PanelStatus } from '../shared/panelProtocol';
import { formatEta, hasWork, itemCountsText } from './progressText';
import type { ServiceState } from './indexService';

/** The index's state as the panel says it, with whether a key is set. */
export function panelStatus(state: ServiceState, hasKey: boolean, folders: readonly string[]): PanelStatus {
  switch (state.kind) {
    case 'empty':
      return { index: 'empty', message: 'Index this workspace first: Sightline searches what it has indexed.', folders, hasKey };
    case 'indexing': {
      const p = state.progress;
      if (!p || !hasWork(p)) return { index: 'indexing', message: 'Indexing…', folders, hasKey };
      const percent = Math.floor(p.fraction * 100);
      const counts = itemCountsText(p);
      const eta = p.etaSeconds !== undefined ? ` · about ${formatEta(p.etaSeconds)} left` : '';
      return { index: 'indexing', message: `Indexing ${percent}%${counts ? ` · ${counts}` : ''}${eta}`, percent, folders, hasKey };
    }
    case 'error':
      return { index: 'error', message: state.message, folders, hasKey };
    case 'ready':
      return { index: 'ready', message: `${state.items.toLocaleString('en')} items indexed.`, folders, hasKey };
  }
}
