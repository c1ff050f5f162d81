import type { IndexProgress } from '../core/index/indexer/indexProgress';

/** How far a run is, 0..100, once the scan knows how much there is to do. */
export function indexingPercent(progress: IndexProgress): number | undefined {
  if (!progress.scanDone || !progress.filesToProcess) return undefined;
  return Math.min(100, Math.floor((progress.filesProcessed / progress.filesToProcess) * 100));
}

export function formatEta(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
