import picomatch from 'picomatch';
import type { WalkSettings } from './walkSettings';

/** Why a path was left out by configuration, for the `ignored` report. */
export type FilterVerdict = 'default-exclude' | 'exclude' | 'not-included' | undefined;

/**
 * The configured filters that do not depend on ignore files: default-excluded names, exclude
 * globs and include globs, all matched against root-relative posix paths.
 */
export class PathFilter {
  private readonly excludedNames: ReadonlySet<string>;
  private readonly excludes: ((path: string) => boolean) | undefined;
  private readonly includes: ((path: string) => boolean) | undefined;

  constructor(settings: Pick<WalkSettings, 'include' | 'exclude' | 'defaultExcludes'>) {
    // Windows file systems ignore case, so globs written in any case should match there too.
    const globOptions = { dot: true, nocase: process.platform === 'win32' };
    this.excludedNames = new Set(settings.defaultExcludes);
    this.excludes = settings.exclude.length ? picomatch([...settings.exclude], globOptions) : undefined;
    this.includes = settings.include.length ? picomatch([...settings.include], globOptions) : undefined;
  }

  /** Folders are only tested against excludes: an include glob cannot tell which folders hold matches. */
  directory(name: string, relativePath: string): FilterVerdict {
    if (this.excludedNames.has(name)) return 'default-exclude';
    if (this.excludes?.(relativePath)) return 'exclude';
    return undefined;
  }

  file(name: string, relativePath: string): FilterVerdict {
    if (this.excludedNames.has(name)) return 'default-exclude';
    if (this.excludes?.(relativePath)) return 'exclude';
    if (this.includes && !this.includes(relativePath)) return 'not-included';
    return undefined;
  }
}
