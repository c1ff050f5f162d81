import type { MaxFileBytes, WalkOptions } from './walkTypes';

/** Folders that hold dependencies, tool state or build caches rather than a person's files. */
export const DEFAULT_EXCLUDES: readonly string[] = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.sightline',
  '.vscode-test',
  '__pycache__',
  '.venv',
  '.next',
  '.cache',
];

const MB = 1024 * 1024;

export const DEFAULT_MAX_FILE_BYTES: MaxFileBytes = {
  image: 50 * MB,
  markdown: 5 * MB,
  // Notebooks carry their plots as base64; one with many outputs runs to tens of megabytes.
  notebook: 100 * MB,
  pdf: 200 * MB,
};

export const DEFAULT_MAX_FILES = 500_000;

/** The options with every default filled in, read once per walk. */
export interface WalkSettings {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly useGitignore: boolean;
  readonly defaultExcludes: readonly string[];
  readonly maxFileBytes: MaxFileBytes;
  readonly maxFiles: number;
  readonly signal: AbortSignal | undefined;
  readonly reportIgnored: boolean;
}

export function resolveWalkSettings(options: WalkOptions): WalkSettings {
  const caps = options.caps ?? {};
  return {
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    useGitignore: options.useGitignore ?? true,
    defaultExcludes: options.defaultExcludes ?? DEFAULT_EXCLUDES,
    maxFileBytes: { ...DEFAULT_MAX_FILE_BYTES, ...definedOnly(caps.maxFileBytes ?? {}) },
    maxFiles: caps.maxFiles ?? DEFAULT_MAX_FILES,
    signal: options.signal,
    reportIgnored: options.reportIgnored ?? false,
  };
}

// A caller passing `{ image: undefined }` means "no opinion", not "no cap".
function definedOnly(values: Partial<MaxFileBytes>): Partial<MaxFileBytes> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
