import * as posix from 'node:path/posix';
import type { MarkdownImageReference } from './markdownTypes';

/** Finds files by name, for wiki embeds that name a file without saying where it is. */
export interface WorkspaceFileIndex {
  has(relativePath: string): boolean;
  /** Workspace-relative posix paths of every file with this name (exactly as cased unless `ignoreCase`). */
  filesNamed(fileName: string, options?: { ignoreCase?: boolean }): readonly string[];
}

/** Says whether a workspace-relative posix path is a file; or an index that can also find by name. */
export type WorkspaceFileLookup = ((relativePath: string) => boolean) | WorkspaceFileIndex;

// Any URL scheme (http:, data:, file:, mailto:) and Windows drive letters (C:) point elsewhere.
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A URL or `//host/...`: something on another machine, never fetched. */
export function isRemoteTarget(target: string): boolean {
  const written = target.trim();
  return SCHEME.test(written) || /^[/\\]{2}/.test(written);
}

/**
 * The workspace-relative posix path an image reference in `markdownRelativePath` points to, or
 * undefined when it points outside the workspace: URLs, `//host/...`, and `..` past the root.
 * A leading `/` means the workspace root. `%20` and the like are decoded; `?query` and
 * `#fragment` are dropped. A plain string is a path as in `![](...)`; a wiki reference
 * (`![[name.png]]`) is looked up beside the markdown file, then from the root, then by file name
 * anywhere when `workspaceFiles` can find by name (nearest the note wins, exact case before any
 * case, as in Obsidian). With a lookup, only existing files are returned, and two conventions of
 * documentation sites are followed: a root-relative `/img/x.png` may be served from a `static/`
 * or `public/` folder (Docusaurus, Nextra, Astro), and `@site/...` names the site's folder.
 */
export function resolveImageReference(
  markdownRelativePath: string,
  target: string | Pick<MarkdownImageReference, 'target' | 'syntax'>,
  workspaceFiles?: WorkspaceFileLookup,
): string | undefined {
  const written = (typeof target === 'string' ? target : target.target).trim();
  const wiki = typeof target !== 'string' && target.syntax === 'wiki';
  if (!written || isRemoteTarget(written)) return undefined;
  const withoutSuffix = written.replace(/[?#][\s\S]*$/, '').replace(/\\/g, '/');
  const exists = typeof workspaceFiles === 'function' ? workspaceFiles : workspaceFiles?.has.bind(workspaceFiles);
  const folder = posix.dirname(markdownRelativePath.replace(/\\/g, '/'));
  // A file may really be called `a%20b.png`; the decoded form is tried first as that is the norm.
  const spellings = [...new Set([percentDecoded(withoutSuffix), withoutSuffix])];
  for (const spelling of spellings) {
    for (const candidate of candidatesFor(spelling, folder, wiki, exists !== undefined)) {
      if (candidate !== undefined && (!exists || exists(candidate))) return candidate;
    }
    if (wiki && workspaceFiles && typeof workspaceFiles !== 'function') {
      const found = closestNamed(workspaceFiles, spelling, folder);
      if (found) return found;
    }
  }
  return undefined;
}

/** Where a written path may be, most likely first; the site conventions only where existence can be checked. */
function candidatesFor(spelling: string, folder: string, wiki: boolean, checked: boolean): Array<string | undefined> {
  if (wiki) return [inside(folder, spelling), inside('', spelling)];
  if (spelling.startsWith('@site/')) {
    const rest = spelling.slice('@site/'.length);
    return checked ? ancestors(folder).map((base) => inside(base, rest)) : [inside('', rest)];
  }
  if (!spelling.startsWith('/')) return [inside(folder, spelling)];
  const atRoot = inside('', spelling);
  if (!checked) return [atRoot];
  const served = ancestors(folder).flatMap((base) => [inside(base, `static${spelling}`), inside(base, `public${spelling}`)]);
  return [atRoot, ...served];
}

/** `folder` and every folder above it, nearest first, ending with the root (''). */
function ancestors(folder: string): string[] {
  const parts = folder === '.' || folder === '' ? [] : folder.split('/');
  const list: string[] = [];
  for (let depth = parts.length; depth >= 0; depth--) list.push(parts.slice(0, depth).join('/'));
  return list;
}

/** `relative` joined to `folder` and normalised, or undefined if it climbs out of the root. */
function inside(folder: string, relative: string): string | undefined {
  const joined = posix.normalize(posix.join(folder, relative.replace(/^\/+/, '')));
  if (joined === '.' || joined === '..' || joined.startsWith('../') || joined.endsWith('/')) return undefined;
  return joined;
}

/** Among files with the embed's name (and path tail, if it gives one), the one nearest the note. */
function closestNamed(index: WorkspaceFileIndex, written: string, folder: string): string | undefined {
  const tail = written.replace(/^\/+/, '');
  const here = folder === '.' ? [] : folder.split('/');
  const distance = (file: string) => {
    const parts = file.split('/').slice(0, -1);
    let shared = 0;
    while (shared < parts.length && shared < here.length && parts[shared] === here[shared]) shared++;
    return here.length - shared + (parts.length - shared);
  };
  for (const ignoreCase of [false, true]) {
    const wanted = ignoreCase ? tail.toLowerCase() : tail;
    const matches = index.filesNamed(posix.basename(tail), { ignoreCase }).filter((file) => {
      const seen = ignoreCase ? file.toLowerCase() : file;
      return seen === wanted || seen.endsWith(`/${wanted}`);
    });
    matches.sort((a, b) => distance(a) - distance(b) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    if (matches[0]) return matches[0];
  }
  return undefined;
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray `%` is part of the name
  }
}
