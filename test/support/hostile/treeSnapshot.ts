import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Every entry under `root` (not following links) with what it is: a file's sha256 and mode,
 * a link's target, a folder. Entries under `skip` (absolute paths) are left out, so a test can
 * say "nothing outside the index folder changed" by comparing two snapshots.
 */
export async function snapshotTree(root: string, skip: readonly string[] = []): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const visit = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      if (skip.some((s) => absolute === s || absolute.startsWith(s + path.sep))) continue;
      const relative = path.relative(root, absolute);
      const stat = await fs.lstat(absolute);
      if (stat.isSymbolicLink()) entries.set(relative, `link -> ${await fs.readlink(absolute)}`);
      else if (stat.isDirectory()) {
        entries.set(relative, 'folder');
        await visit(absolute);
      } else if (stat.isFile()) {
        entries.set(
          relative,
          `file ${createHash('sha256')
            .update(await fs.readFile(absolute))
            .digest('hex')} mode ${stat.mode.toString(8)} size ${stat.size}`,
        );
      } else entries.set(relative, 'other');
    }
  };
  await visit(root);
  return entries;
}

/** The entries that differ between two snapshots, as readable lines (empty when equal). */
export function treeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [name, value] of before) {
    if (!after.has(name)) changes.push(`removed ${name}`);
    else if (after.get(name) !== value) changes.push(`changed ${name}: ${value} -> ${after.get(name)}`);
  }
  for (const name of after.keys()) if (!before.has(name)) changes.push(`added ${name}`);
  return changes;
}
