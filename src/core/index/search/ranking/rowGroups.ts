import type { ItemDirectory } from '../itemDirectory';
import { SCORE_GROUPS, scoreGroupOf } from './scoreGroups';

type EntryFilter = (id: number) => boolean;

interface GroupTable {
  readonly rowCount: number;
  readonly groups: Uint8Array;
}

/**
 * Tables kept per directory (one catalog revision), one per filter predicate, the most recently
 * built last: a directory's entryFilter returns the same function for the same filters, so
 * query after query with the same filters finds its table here instead of walking every row.
 */
const MAX_TABLES_PER_DIRECTORY = 8;
const tables = new WeakMap<ItemDirectory, Map<EntryFilter | undefined, GroupTable>>();

/**
 * For each of the first `rowCount` rows, its score group's number + 1 (SCORE_GROUPS order),
 * taken from the first of its entries that passes `accept`, or 0 when none does: the table
 * VectorSearcher.searchGroups scans by. Shared between calls; callers must not change it.
 */
export function rowGroups(directory: ItemDirectory, rowCount: number, accept: EntryFilter | undefined): Uint8Array {
  let kept = tables.get(directory);
  if (!kept) {
    kept = new Map<EntryFilter | undefined, GroupTable>();
    tables.set(directory, kept);
  }
  const cached = kept.get(accept);
  if (cached && cached.rowCount === rowCount) return cached.groups;
  const groups = buildRowGroups(directory, rowCount, accept);
  kept.delete(accept);
  if (kept.size >= MAX_TABLES_PER_DIRECTORY) kept.delete(kept.keys().next().value);
  kept.set(accept, { rowCount, groups });
  return groups;
}

function buildRowGroups(directory: ItemDirectory, rowCount: number, accept: EntryFilter | undefined): Uint8Array {
  const groups = new Uint8Array(rowCount);
  const groupNumber = new Map(SCORE_GROUPS.map((group, i) => [group, i + 1]));
  // Entries in id order, so the first passing entry of a row decides its group (a copied file's
  // entries share its twin's row).
  const { entries } = directory;
  for (let id = 0; id < entries.length; id++) {
    const { item } = entries[id]!;
    if (item.row >= rowCount || groups[item.row] !== 0 || (accept && !accept(id))) continue;
    groups[item.row] = groupNumber.get(scoreGroupOf(item.part))!;
  }
  return groups;
}
