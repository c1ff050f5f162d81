import type { IndexProgress } from '../core/index/indexer/indexProgress';
import type { CliOutput } from './cliContext';

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

function describe(p: IndexProgress, width: number): string {
  const total = p.scanDone ? `${p.filesToProcess}` : `${p.filesToProcess}+`;
  const fraction = p.filesToProcess ? p.filesProcessed / p.filesToProcess : 0;
  const bar = p.scanDone ? `[${'#'.repeat(Math.round(fraction * 20)).padEnd(20, '-')}] ` : '';
  const eta = p.etaSeconds !== undefined ? ` · ETA ${formatDuration(p.etaSeconds)}` : '';
  const line =
    `${bar}${p.filesProcessed}/${total} changed files · ${p.itemsEmbedded} embedded · ${p.itemsReused} reused` +
    `${p.itemsFailed ? ` · ${p.itemsFailed} failed` : ''} · ${p.filesSeen} seen${eta}` +
    (p.currentFile ? ` · ${p.currentFile}` : '');
  return line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
