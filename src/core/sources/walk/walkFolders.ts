import { setImmediate as nextTurn } from 'node:timers/promises';
import { abortable } from '../../common/abortable';
import type { FolderItem } from './fileEntry';
import { readFolder, type FolderListing } from './readFolder';
import type { LinkedFolder } from './symbolicLink';
import type { FolderTask, RootContext } from './walkContext';
import type { WalkEvent } from './walkTypes';

// Folders listed ahead of the one being yielded: enough to keep the file system busy while
// the consumer works, few enough that memory stays bounded on a wide tree.
const READ_AHEAD = 8;
// Hand the event loop back this often even when listings arrive faster than they are consumed.
const EVENTS_PER_TURN = 1000;

interface PendingFolder {
  readonly task: FolderTask;
  listing?: Promise<FolderListing>;
}

/**
 * Walks folders depth first in name order, yielding each folder's events once it is listed.
 * The next few folders on the stack are listed concurrently. Folders reached through links are
 * collected in `linked` for the caller; `visited` holds real paths so no folder is walked twice.
 */
export async function* walkFolders(
  start: FolderTask,
  context: RootContext,
  visited: Set<string>,
  linked: LinkedFolder[],
): AsyncGenerator<WalkEvent, void, undefined> {
  const signal = context.settings.signal;
  const stack: PendingFolder[] = [{ task: start }];
  let sinceTurn = 0;
  while (stack.length) {
    for (let at = stack.length - 1; at >= 0 && at >= stack.length - READ_AHEAD; at--) {
      const pending = stack[at]!;
      if (!pending.listing) {
        pending.listing = readFolder(pending.task, context);
        // Read-ahead that is never awaited (the walk was aborted) must not surface as unhandled.
        pending.listing.catch(() => undefined);
      }
    }
    const listing = await abortable(stack.pop()!.listing!, signal);
    for (const item of listing.items) {
      const event = admit(item, context);
      if (!event) continue;
      yield event;
      if (++sinceTurn >= EVENTS_PER_TURN) {
        sinceTurn = 0;
        await nextTurn();
        signal?.throwIfAborted();
      }
    }
    for (let at = listing.subfolders.length - 1; at >= 0; at--) {
      const task = listing.subfolders[at]!;
      if (visited.has(task.realPath)) continue;
      visited.add(task.realPath);
      stack.push({ task });
    }
    linked.push(...listing.linkedFolders);
  }
}

/** Applies the file budget at the moment of yielding, so the count is exact. */
function admit(item: FolderItem, context: RootContext): WalkEvent | undefined {
  const { budget, settings } = context;
  if (item.type === 'skipped') return item;
  if (item.type === 'file' && budget.emitted < settings.maxFiles) {
    budget.emitted++;
    return item;
  }
  budget.leftOut++;
  budget.firstLeftOut ??= { root: context.root, relativePath: item.relativePath };
  return undefined;
}
