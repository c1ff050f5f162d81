import type { ItemProblem } from '../itemTypes';
import type { Refusal } from '../walk/referencedFile';
import { fileKindOf } from '../walk/fileKind';
import type { MarkdownImageReference } from './markdownTypes';
import { isRemoteTarget, resolveImageReference, type WorkspaceFileIndex } from './resolveImageReference';

/** What a document's image references are checked against: the walk's files, and the walk's rules for any other path. */
export interface ReferenceAdmission {
  readonly files: WorkspaceFileIndex;
  /** Why a root-relative file the walk did not yield may not be read, or undefined when it may. */
  refusal(relativePath: string): Promise<Refusal | undefined>;
}

export type ImageReferenceOutcome =
  /** A workspace image that may be read and sent. */
  | { readonly path: string }
  | { readonly warning: ItemProblem }
  /** Not an image of the workspace: a URL (never fetched) or an embed of a note or other file. */
  | undefined;

/**
 * Decides whether the image a document shows may be read: only a file that a walk of the
 * workspace would yield (same ignore files, globs, default excludes, size caps, real location
 * inside the root). Anything else is a warning naming the line and the reason, never an upload.
 */
export async function admitImageReference(
  documentPath: string,
  reference: Pick<MarkdownImageReference, 'target' | 'syntax' | 'line'> & { readonly cell?: number },
  admission: ReferenceAdmission,
): Promise<ImageReferenceOutcome> {
  const { target, syntax, line, cell } = reference;
  if (isRemoteTarget(target)) return undefined;
  const written = syntax === 'wiki' ? `![[${target}]]` : target;
  // In a notebook the cell is where a reader looks; elsewhere the line.
  const where = cell !== undefined ? { cell } : { line };
  const warn = (code: string, what: string) => ({
    warning: { code, message: `${cell !== undefined ? `cell ${cell}` : `line ${line}`}: ${written} ${what}`, ...where },
  });
  const nominal = resolveImageReference(documentPath, reference);
  if (syntax === 'wiki' && fileKindOf(target.replace(/[#?].*$/, '')) !== 'image') return undefined;
  if (nominal === undefined) return warn('outside-root', 'is not sent: it points outside the workspace folder');
  if (fileKindOf(nominal) !== 'image') return undefined;
  const found = resolveImageReference(documentPath, reference, admission.files);
  if (found !== undefined) return { path: found };
  const refusal = await admission.refusal(nominal);
  // Allowed by every rule but not seen by the walk: created since.
  if (!refusal) return { path: nominal };
  if (syntax === 'wiki' && refusal.code === 'missing-image') {
    return warn('missing-image', `names no image in the workspace folder (no file called ${nominal.slice(nominal.lastIndexOf('/') + 1)})`);
  }
  return warn(refusal.code, refusal.message);
}
