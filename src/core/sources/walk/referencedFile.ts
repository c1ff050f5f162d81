import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileKind } from './fileKind';
import { formatBytes } from './fileEntry';
import { ignoreMessage } from './ignoredEvent';
import { fileExclusion, type AdmissionOptions } from './pathAdmission';
import { isInside } from './symbolicLink';
import { resolveWalkSettings } from './walkSettings';

/** Why a file a document points at is not read or sent. */
export interface Refusal {
  readonly code: 'missing-image' | 'ignored' | 'outside-root' | 'too-large';
  /** Says what happened to the path, e.g. "is ignored by a .gitignore or .sightlineignore file". */
  readonly message: string;
}

/**
 * Admits a root-relative file that a markdown file or notebook points at by the same rules as a
 * walked file: ignore files, include and exclude globs, default excludes, the real location
 * inside the root (whatever links say), and the size cap of its kind. Undefined when it may be
 * read; pixel caps apply later, when the image is decoded, as for any image.
 */
export async function refusalOfReferencedFile(
  root: string,
  relativePath: string,
  kind: FileKind,
  options: AdmissionOptions = {},
): Promise<Refusal | undefined> {
  const exclusion = await fileExclusion(root, relativePath, options);
  if (exclusion) return { code: 'ignored', message: `is not sent: it ${ignoreMessage(exclusion).replace(/^(excluded|ignored)/, 'is $1')}` };
  let realRoot: string;
  let realFile: string;
  try {
    [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(path.join(root, relativePath))]);
  } catch {
    return { code: 'missing-image', message: 'is not a file in the workspace folder' };
  }
  if (!isInside(realRoot, realFile)) return { code: 'outside-root', message: 'is not sent: it links to a file outside the workspace folder' };
  const stats = await fs.stat(realFile).catch(() => undefined);
  if (!stats?.isFile()) return { code: 'missing-image', message: 'is not a file in the workspace folder' };
  const limit = resolveWalkSettings({ ...options, roots: [root] }).maxFileBytes[kind];
  if (stats.size > limit)
    return { code: 'too-large', message: `is not sent: ${formatBytes(stats.size)} is over the ${formatBytes(limit)} limit for ${kind} files` };
  return undefined;
}
