import { promises as fs, type Stats } from 'node:fs';
import type { FileKind } from './fileKind';
import { ioProblem, skipped, type RootContext } from './walkContext';
import type { WalkEvent } from './walkTypes';

/**
 * A file the walk found but did not stat because the file budget was already spent; the walk
 * still counts these so the report can say how many were left out.
 */
export interface OverBudget {
  readonly type: 'over-budget';
  readonly relativePath: string;
}

export type FolderItem = WalkEvent | OverBudget;

/** Stats one candidate file and turns it into a file event, or says why it is skipped. */
export async function statFile(absolutePath: string, relativePath: string, kind: FileKind, context: RootContext): Promise<FolderItem> {
  const { budget, settings } = context;
  if (budget.emitted >= settings.maxFiles) return { type: 'over-budget', relativePath };
  let stats: Stats | undefined;
  try {
    stats = await context.stats.run(async () => {
      // Checked again once a stat slot is free: queued stats drain at once after an abort, and
      // folders read ahead may have queued files the budget no longer has room for.
      settings.signal?.throwIfAborted();
      return budget.emitted >= settings.maxFiles ? undefined : fs.stat(absolutePath);
    });
  } catch (error) {
    settings.signal?.throwIfAborted();
    return skipped(context, relativePath, 'unreadable', `cannot read file: ${ioProblem(error)}`, error);
  }
  if (!stats) return { type: 'over-budget', relativePath };
  return fileEvent(absolutePath, relativePath, kind, stats, context);
}

export function fileEvent(absolutePath: string, relativePath: string, kind: FileKind, stats: Stats, context: RootContext): FolderItem {
  const limit = context.settings.maxFileBytes[kind];
  if (stats.size > limit) {
    return skipped(context, relativePath, 'too-large', `${formatBytes(stats.size)} is over the ${formatBytes(limit)} limit for ${kind} files`);
  }
  return {
    type: 'file',
    root: context.root,
    relativePath,
    absolutePath,
    kind,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
