/** One string for a file of a workspace folder, for maps and sets (NUL never occurs in paths). */
export function fileKey(root: string, path: string): string {
  return `${root}\u0000${path}`;
}
