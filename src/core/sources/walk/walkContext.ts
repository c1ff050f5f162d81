import type { ConcurrencyLimit } from '../../common/concurrencyLimit';
import { SourceError, type SourceErrorCode } from '../sourceError';
import type { IgnoreChain } from './ignoreRules';
import type { PathFilter } from './pathFilter';
import type { WalkSettings } from './walkSettings';
import type { WalkSkippedEvent } from './walkTypes';

/** One folder waiting to be read. */
export interface FolderTask {
  readonly absolutePath: string;
  /** '' for the root. */
  readonly relativePath: string;
  /** Where the folder really is, to recognise it again through a symbolic link. */
  readonly realPath: string;
  readonly ignores: IgnoreChain | undefined;
}

/** Shared by every root of one walk: the file budget counts over all of them. */
export interface FileBudget {
  emitted: number;
  leftOut: number;
  firstLeftOut: { root: string; relativePath: string } | undefined;
}

/** Everything the folder reader needs about the root being walked. */
export interface RootContext {
  readonly root: string;
  readonly realRoot: string;
  readonly settings: WalkSettings;
  readonly filter: PathFilter;
  readonly stats: ConcurrencyLimit;
  readonly budget: FileBudget;
}

export function skipped(context: Pick<RootContext, 'root'>, relativePath: string, code: SourceErrorCode, message: string, cause?: unknown): WalkSkippedEvent {
  return {
    type: 'skipped',
    root: context.root,
    relativePath,
    reason: new SourceError(code, message, relativePath, cause === undefined ? undefined : { cause }),
  };
}

/** The message for an fs error, without the absolute path Node puts into it. */
export function ioProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no longer exists';
    case 'ELOOP':
      return 'symbolic link loop';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}
