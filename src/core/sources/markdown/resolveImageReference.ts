import * as posix from 'node:path/posix';
import type { MarkdownImageReference } from './markdownTypes';

/** Finds files by name, for wiki embeds that name a file without saying where it is. */
export interface WorkspaceFileIndex {
  has(relativePath: string): boolean;
  /** Workspace-relative posix paths of every file with this exact name. */
  filesNamed(fileName: string): readonly string[];
}

/** Says whether a workspace-relative posix path is a file; or an index that can also find by name. */
export type WorkspaceFileLookup = ((relativePath: string) => boolean) | WorkspaceFileIndex;

// Any URL scheme (http:, data:, file:, mailto:) and Windows drive letters (C:) point elsewhere.
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The workspace-relative posix path an image reference in `markdownRelativePath` points to, or
 * undefined when it points outside the workspace: URLs, `//host/...`, and `..` past the root.
 * A leading `/` means the workspace root. `%20` and the like are decoded; `?query` and
 * `#fragment` are dropped. A plain string is a path as in `![](...)`; a wiki reference
 * (`![[name.png]]`) is looked up beside the markdown file, then from the root, then by file name
 * anywhere when `workspaceFiles` can find by name. With a lookup, only existing files are
 * returned.
 */
export function resolveImageReference(
  markdownRelativePath: string,
  target: string | Pick<MarkdownImageReference, 'target' | 'syntax'>,
  workspaceFiles?: WorkspaceFileLookup,
): string | undefined {
  const written = (typeof target === 'string' ? target : target.target).trim();
  const wiki = typeof target !== 'string' && target.syntax === 'wiki';
  if (!written || SCHEME.test(written) || /^[/\\]{2}/.test(written)) return undefined;
  const withoutSuffix = written.replace(/[?#][\s\S]*$/, '').replace(/\\/g, '/');
  const exists = typeof workspaceFiles === 'function' ? workspaceFiles : workspaceFiles?.has.bind(workspaceFiles);
  const folder = posix.dirname(markdownRelativePath.replace(/\\/g, '/'));
  // A file may really be called `a%20b.png`; the decoded form is tried first as that is the norm.
  const spellings = [...new Set([percentDecoded(withoutSuffix), withoutSuffix])];
  for (const spelling of spellings) {
    const candidates = wiki ? [inside(folder, spelling), inside('', spelling)] : [spelling.startsWith('/') ? inside('', spelling) : inside(folder, spelling)];
    for (const candidate of candidates) {
      if (candidate !== undefined && (!exists || exists(candidate))) return candidate;
    }
    if (wiki && workspaceFiles && typeof workspaceFiles !== 'function') {
      const found = closestNamed(workspaceFiles, spelling, folder);
      if (found) return found;
    }
  }
  return undefined;
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
  const matches = index.filesNamed(posix.basename(tail)).filter((file) => file === tail || file.endsWith(`/${tail}`));
  const here = folder === '.' ? [] : folder.split('/');
  const distance = (file: string) => {
    const parts = file.split('/').slice(0, -1);
    let shared = 0;
    while (shared < parts.length && shared < here.length && parts[shared] === here[shared]) shared++;
    return here.length - shared + (parts.length - shared);
  };
  matches.sort((a, b) => distance(a) - distance(b) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return matches[0];
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray `%` is part of the name
  }
}
