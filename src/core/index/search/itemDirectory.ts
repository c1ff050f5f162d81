import picomatch from 'picomatch';
import type { FileRecord, IndexedItem } from '../catalog/catalogTypes';
import type { Catalog } from '../catalog/catalog';
import { fileKey } from '../../common/fileKey';
import type { SearchFilters } from './searchTypes';

export interface DirectoryEntry {
  readonly file: FileRecord;
  readonly item: IndexedItem;
}

const MAX_KEPT_FILTERS = 64;

/**
 * Every searchable item in one flat list, with the reverse map from vector rows to items (a
 * copied file shares its twin's rows, so one row can stand for several items).
 */
export class ItemDirectory {
  readonly entries: DirectoryEntry[] = [];
  private readonly byRow = new Map<number, number[]>();
  /** The entry of each file's first item (its items follow in order). */
  private readonly firstEntry = new Map<string, number>();
  /** Predicates already made, by filter: the same filters give the same function, so tables built for a filter can be kept by it. */
  private readonly filters = new Map<string, (id: number) => boolean>();

  constructor(catalog: Catalog) {
    for (const file of catalog.allFiles()) {
      if (file.items.length) this.firstEntry.set(fileKey(file.root, file.path), this.entries.length);
      for (const item of file.items) {
        const id = this.entries.push({ file, item }) - 1;
        const list = this.byRow.get(item.row);
        if (list) list.push(id);
        else this.byRow.set(item.row, [id]);
      }
    }
  }

  entriesForRow(row: number): readonly number[] {
    return this.byRow.get(row) ?? [];
  }

  liveRows(): IterableIterator<number> {
    return this.byRow.keys();
  }

  /** The entry of item `item` of the file with key `file`, if it is in this directory. */
  entryIdOf(file: string, item: number): number | undefined {
    const first = this.firstEntry.get(file);
    return first === undefined || item >= this.entries[first]!.file.items.length ? undefined : first + item;
  }

  /** A predicate over entry ids, the same function for equal filters; undefined when nothing is filtered. */
  entryFilter(filters: SearchFilters | undefined): ((id: number) => boolean) | undefined {
    if (!filters || (!filters.kinds?.length && !filters.pathGlob && filters.root === undefined)) return undefined;
    const key = JSON.stringify([[...new Set(filters.kinds ?? [])].sort(), filters.pathGlob ?? null, filters.root ?? null]);
    let predicate = this.filters.get(key);
    if (!predicate) {
      // A bound on what a long session of different filters keeps alive (a directory lasts one catalog revision).
      if (this.filters.size >= MAX_KEPT_FILTERS) this.filters.clear();
      predicate = this.makeFilter(filters);
      this.filters.set(key, predicate);
    }
    return predicate;
  }

  private makeFilter(filters: SearchFilters): (id: number) => boolean {
    const kinds = filters.kinds?.length ? new Set(filters.kinds) : undefined;
    const matchesPath = filters.pathGlob ? picomatch(filters.pathGlob, { dot: true }) : undefined;
    return (id) => {
      const { file, item } = this.entries[id]!;
      return (
        (!kinds || kinds.has(item.kind)) &&
        (filters.root === undefined || file.root === filters.root) &&
        (!matchesPath || matchesPath(file.path) || (item.target !== undefined && matchesPath(item.target)))
      );
    };
  }

  /** Rows with at least one entry that passes `accept`, as the searcher's row mask. */
  rowMask(totalRows: number, accept: (id: number) => boolean): Uint8Array {
    const mask = new Uint8Array(totalRows);
    for (const [row, ids] of this.byRow) if (row < totalRows && ids.some(accept)) mask[row] = 1;
    return mask;
  }
}
