import type { IndexStore } from '../store/indexStore';
import type { SearchIndex } from './searchIndex';

export interface DuplicateGroup {
  /** 'exact': identical bytes; 'near': vectors above the similarity threshold. */
  readonly kind: 'exact' | 'near';
  readonly files: ReadonlyArray<{ readonly root: string; readonly path: string }>;
  /** Lowest pairwise similarity that joined the group (1 for exact). */
  readonly similarity: number;
}

/**
 * Groups image files that are the same picture: identical content first, then images whose
 * stored vectors are nearly parallel (a resized or recompressed copy), joined transitively.
 */
export function findDuplicateImages(store: IndexStore, index: SearchIndex, threshold = 0.95): DuplicateGroup[] {
  const imageFiles = [...store.catalog.allFiles()].filter((f) => f.kind === 'image' && f.items.length > 0);
  const byHash = new Map<string, typeof imageFiles>();
  for (const file of imageFiles) byHash.set(file.hash, [...(byHash.get(file.hash) ?? []), file]);
  const groups: DuplicateGroup[] = [];
  for (const files of byHash.values()) {
    if (files.length > 1) groups.push({ kind: 'exact', files: files.map(({ root, path }) => ({ root, path })), similarity: 1 });
  }

  const searcher = index.vectors;
  if (!searcher) return groups;
  // One representative per distinct content; exact copies are already grouped above.
  const representatives = [...byHash.values()].map((files) => files[0]!);
  const rowToFile = new Map(representatives.map((file) => [file.items[0]!.row, file]));
  const mask = new Uint8Array(index.rowCount);
  for (const row of rowToFile.keys()) if (row < mask.length) mask[row] = 1;

  const parent = new Map<number, number>();
  const find = (row: number): number => {
    let current = row;
    while (parent.has(current) && parent.get(current) !== current) current = parent.get(current)!;
    return current;
  };
  const weakest = new Map<number, number>();
  for (const row of rowToFile.keys()) {
    if (row >= mask.length) continue;
    for (const hit of searcher.search(store.vectorAt(row), { k: 10, filter: mask })) {
      if (hit.row === row || hit.score < threshold) continue;
      const a = find(row);
      const b = find(hit.row);
      if (a !== b) parent.set(b, a);
      const rootRow = find(row);
      weakest.set(rootRow, Math.min(weakest.get(rootRow) ?? 1, weakest.get(b) ?? 1, hit.score));
    }
  }
  const clusters = new Map<number, number[]>();
  for (const row of rowToFile.keys()) {
    const rootRow = find(row);
    clusters.set(rootRow, [...(clusters.get(rootRow) ?? []), row]);
  }
  for (const [rootRow, rows] of clusters) {
    if (rows.length < 2) continue;
    groups.push({
      kind: 'near',
      files: rows.map((row) => ({ root: rowToFile.get(row)!.root, path: rowToFile.get(row)!.path })),
      similarity: weakest.get(rootRow) ?? threshold,
    });
  }
  return groups;
}
