/**
 * Why one file (or one part of it) could not become an embeddable item. The indexer reports
 * these per file and carries on; they never stop a run.
 */
export type SourceErrorCode =
  | 'too-large' // file bytes over the per-kind cap
  | 'too-many-pixels' // declared dimensions over the megapixel cap (decompression bomb guard)
  | 'too-many-pages' // PDF pages over the cap (the first pages are still indexed)
  | 'too-many-files' // the walk reached its file cap; later files were left out
  | 'corrupt' // the bytes do not decode as the format they claim
  | 'unsupported' // a format or feature we cannot read
  | 'encrypted' // password-protected PDF
  | 'empty' // nothing to embed (zero pages, empty image)
  | 'not-utf8' // text file that is not valid UTF-8
  | 'unreadable' // I/O error, permission, broken symlink
  | 'outside-root' // a link or reference pointing outside the workspace
  | 'ignored'; // excluded by configuration (only reported when asked)

export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceError';
  }
}
