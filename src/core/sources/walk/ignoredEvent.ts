import type { FilterVerdict } from './pathFilter';
import { skipped, type RootContext } from './walkContext';
import type { WalkSkippedEvent } from './walkTypes';

export type IgnoreReason = Exclude<FilterVerdict, undefined> | 'ignore-file' | 'already-walked';

const MESSAGES: Record<IgnoreReason, string> = {
  'default-exclude': 'excluded by default',
  exclude: 'matches an exclude glob',
  'not-included': 'matches no include glob',
  'ignore-file': 'ignored by a .gitignore or .sightlineignore file',
  'already-walked': 'links to a folder that is already walked under another path',
};

/** Why configuration leaves an entry out, as a phrase: "matches an exclude glob". */
export function ignoreMessage(reason: IgnoreReason): string {
  return MESSAGES[reason];
}

/** A `skipped` event for an entry left out by configuration, or nothing unless asked for. */
export function ignoredEvent(context: RootContext, relativePath: string, reason: IgnoreReason): WalkSkippedEvent | undefined {
  if (!context.settings.reportIgnored) return undefined;
  return skipped(context, relativePath, 'ignored', MESSAGES[reason]);
}
