/** The kinds of file Sightline turns into embeddable items. */
export type FileKind = 'image' | 'markdown' | 'pdf' | 'notebook';

/** Every kind, in the order summaries list them. */
export const FILE_KINDS: readonly FileKind[] = ['image', 'markdown', 'pdf', 'notebook'];

const KIND_BY_EXTENSION: ReadonlyMap<string, FileKind> = new Map([
  ['png', 'image'],
  ['jpg', 'image'],
  ['jpeg', 'image'],
  ['webp', 'image'],
  ['gif', 'image'],
  ['bmp', 'image'],
  ['tiff', 'image'],
  ['tif', 'image'],
  ['svg', 'image'],
  ['md', 'markdown'],
  ['markdown', 'markdown'],
  ['mdx', 'markdown'],
  ['pdf', 'pdf'],
  ['ipynb', 'notebook'],
]);

/**
 * The kind of a file from its name alone, so the walker can skip every other file without a
 * stat call. A dot file such as `.png` has no extension, as with `path.extname`.
 */
export function fileKindOf(path: string): FileKind | undefined {
  const dot = path.lastIndexOf('.');
  const nameStart = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  if (dot <= nameStart) return undefined;
  return KIND_BY_EXTENSION.get(path.slice(dot + 1).toLowerCase());
}
