import type { SourceError } from '../sourceError';
import type { FileKind } from './fileKind';

export interface MaxFileBytes {
  readonly image: number;
  readonly markdown: number;
  readonly notebook: number;
  readonly pdf: number;
}

export interface WalkCaps {
  readonly maxFileBytes?: Partial<MaxFileBytes>;
  /** Files past this many (over all roots) are left out and reported once. */
  readonly maxFiles?: number;
}

export interface WalkOptions {
  /** Absolute folder paths; each is walked on its own and named in its events. */
  readonly roots: readonly string[];
  /** Globs relative to a root (picomatch, dot files included); when given, only matching files. */
  readonly include?: readonly string[];
  /** Globs relative to a root; a matching folder is not descended into. */
  readonly exclude?: readonly string[];
  /** Honour `.gitignore` files (and `.git/info/exclude`); default true. */
  readonly useGitignore?: boolean;
  /** File or folder names skipped wherever they appear; see DEFAULT_EXCLUDES. */
  readonly defaultExcludes?: readonly string[];
  /** Absolute folders never walked, whatever their names (the index folder inside a root). */
  readonly skipFolders?: readonly string[];
  readonly caps?: WalkCaps;
  readonly signal?: AbortSignal;
  /** Also report entries left out by ignore files, globs and default excludes. */
  readonly reportIgnored?: boolean;
}

export interface WalkFileEvent {
  readonly type: 'file';
  readonly root: string;
  /** Posix separators, relative to `root`. */
  readonly relativePath: string;
  readonly absolutePath: string;
  readonly kind: FileKind;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface WalkSkippedEvent {
  readonly type: 'skipped';
  readonly root: string;
  /** Posix separators, relative to `root`; '' for the root itself. */
  readonly relativePath: string;
  readonly reason: SourceError;
}

export type WalkEvent = WalkFileEvent | WalkSkippedEvent;
