import type { IndexStore } from '../store/indexStore';
import type { SearchIndex } from './searchIndex';

export interface DuplicateGroup {
  /** 'exact': identical bytes; 'near': vectors above the similarity threshold. */
  readonly kind: 'exact' | 'near';
  readonly files: ReadonlyArray<{ readonly root: string; readonly path: string }>;
  /** Lowest pairwise similarity that joined the group (1 for exact). */
  readonly similarity: number;
}

/** Images sampled to learn where unrelated pictures of this index sit (median pairwise cosine). */
const BACKGROUND_IMAGES = 48;

/**
 * Groups image files that are the same picture: identical content first, then images whose
 * stored vectors are nearly parallel (a resized or recompressed copy), joined transitively.
 *
 * "Nearly parallel" is relative to the index: real embedding spaces put even unrelated images
 * well above cosine 0 (a common direction), by an amount that differs between models and Matryoshka
 * cuts. So a pair's similarity s is read against the median similarity m of unrelated image
 * pairs of this index, as (s - m) / (1 - m), which undoes a common direction exactly; `threshold`
 * applies to that (0.9: the pair is nine tenths of the way from unrelated to identical).
 */
export function findDuplicateImages(store: IndexStore, index: SearchIndex, threshold = 0.9): DuplicateGroup[] {
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

  const background = unrelatedImageSimilarity(
    store,
    searcher,
    [...rowToFile.keys()].filter((row) => row < mask.length),
  );
  const relative = (similarity: number) => (similarity - background) / (1 - background);

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
      if (hit.row === row || relative(hit.score) < threshold) continue;
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
      similarity: weakest.get(rootRow) ?? 1,
    });
  }
  return groups;
}

/** Median cosine between pairs of an even sample of the images (0 when there are too few). */
function unrelatedImageSimilarity(store: IndexStore, searcher: NonNullable<SearchIndex['vectors']>, rows: readonly number[]): number {
  const step = Math.max(1, rows.length / BACKGROUND_IMAGES);
  const sample: number[] = [];
  for (let i = 0; i < rows.length && sample.length < BACKGROUND_IMAGES; i += step) sample.push(rows[Math.floor(i)]!);
  if (sample.length < 3) return 0;
  const pairs: number[] = [];
  sample.forEach((row, i) => {
    searcher.scoreRows(store.vectorAt(row), sample.slice(i + 1)).forEach((score) => Number.isFinite(score) && pairs.push(score));
  });
  pairs.sort((a, b) => a - b);
  return Math.min(0.99, Math.max(0, pairs[pairs.length >> 1] ?? 0));
}
