import type { IndexProgress } from '../core/index/indexer/indexProgress';
import type { CliOutput } from './cliContext';
import { printable } from './terminalText';

/** A one-line bar redrawn in place on a terminal; a plain line every few seconds elsewhere. */
export function progressPrinter(output: CliOutput): { update: (p: IndexProgress) => void; done: () => void } {
  let lastLine = 0;
  let drawn = false;
  return {
    update(progress) {
      const now = Date.now();
      if (output.isTTY) {
        output.err(`\r\x1b[2K${describe(progress, process.stderr.columns ?? 100)}`);
        drawn = true;
      } else if (now - lastLine >= 2000) {
        lastLine = now;
        output.err(`${describe(progress, 200)}\n`);
      }
    },
    done() {
      if (drawn) output.err('\r\x1b[2K');
    },
  };
}

/**
 * `[#######-------------] 35% · markdown 1200/2108 · images 34/486 · pdf 0/72 · 230/~650 requests at 5.0/s · ETA 1m24s`:
 * the share and the ETA come from the requests still needed; `~` marks totals that are still guesses.
 */
function describe(p: IndexProgress, width: number): string {
  const about = p.estimated ? '~' : '';
  const bar = `[${'#'.repeat(Math.round(p.fraction * 20)).padEnd(20, '-')}] ${Math.floor(p.fraction * 100)}%`;
  const kinds = (['markdown', 'notebook', 'image', 'pdf'] as const)
    .filter((kind) => p.items[kind].total > 0)
    .map((kind) => `${kind === 'image' ? 'images' : kind === 'notebook' ? 'notebooks' : kind} ${p.items[kind].done}/${about}${p.items[kind].total}`);
  const requests = `${p.requestsDone}/${about}${p.requestsDone + p.requestsLeft} requests at ${p.requestsPerSecond.toFixed(1)}/s`;
  const eta = p.etaSeconds !== undefined ? `ETA ${formatDuration(p.etaSeconds)}` : '';
  const failed = p.itemsFailed ? `${p.itemsFailed} failed` : '';
  const scanning = p.scanDone ? '' : `${p.filesSeen} files seen`;
  const line = [bar, ...kinds, requests, failed, eta, scanning, printable(p.currentFile ?? '')].filter(Boolean).join(' · ');
  return line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
