/** The three kinds of file Sightline turns into embeddable items. */
export type FileKind = 'image' | 'markdown' | 'pdf';

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
