/**
 * The files a walk yielded under one root, by path and by name: what documents may point at.
 * Wiki embeds (`![[shot.png]]`) name a file without saying where it is, so they are looked up
 * here by name; path references are checked here before anything is read. Kept current by
 * adding and removing single paths as the file watcher reports them.
 */
export class WalkedFiles {
  private readonly paths = new Set<string>();
  /** Lower-cased file name -> paths; wiki links match names without regard to case. */
  private readonly byName = new Map<string, string[]>();

  get size(): number {
    return this.paths.size;
  }

  has(relativePath: string): boolean {
    return this.paths.has(relativePath);
  }

  add(relativePath: string): void {
    if (this.paths.has(relativePath)) return;
    this.paths.add(relativePath);
    const name = nameKey(relativePath);
    const list = this.byName.get(name);
    if (list) list.push(relativePath);
    else this.byName.set(name, [relativePath]);
  }

  delete(relativePath: string): boolean {
    if (!this.paths.delete(relativePath)) return false;
    const name = nameKey(relativePath);
    const list = this.byName.get(name)!.filter((file) => file !== relativePath);
    if (list.length) this.byName.set(name, list);
    else this.byName.delete(name);
    return true;
  }

  /** Forgets every file under a folder (deleted or renamed away); returns what it forgot. */
  deleteUnder(folder: string): string[] {
    const prefix = `${folder}/`;
    const gone = [...this.paths].filter((file) => file.startsWith(prefix));
    for (const file of gone) this.delete(file);
    return gone;
  }

  /** Every file with this name, exactly as cased unless `ignoreCase`. */
  filesNamed(fileName: string, options: { ignoreCase?: boolean } = {}): readonly string[] {
    const all = this.byName.get(fileName.toLowerCase()) ?? [];
    return options.ignoreCase ? all : all.filter((file) => file === fileName || file.endsWith(`/${fileName}`));
  }
}

function nameKey(relativePath: string): string {
  return relativePath.slice(relativePath.lastIndexOf('/') + 1).toLowerCase();
}
