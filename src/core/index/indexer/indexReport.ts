import type { EmbeddingUsage } from '../../embed/usage';
import type { ItemKind } from '../../sources/itemTypes';
import type { SharedCacheUse } from '../sharedCache/sharedCacheTypes';

/** One problem with one file, for the summary, `status` and Show Index Problems. */
export interface FileProblem {
  readonly root: string;
  readonly path: string;
  readonly code: string;
  readonly message: string;
  /** 1-based line of the file the problem is about (an image reference), to open it there. */
  readonly line?: number;
  /** 1-based notebook cell the problem is about, to open the notebook there. */
  readonly cell?: number;
}

/**
 * How bad a problem is: a failure lost content (the file, or part of its own text or pages,
 * is not searchable); a warning is about a file that is indexed (an image it points at is
 * missing or ignored, a cap was applied); skipped files were left out on purpose.
 */
export type ProblemSeverity = 'failure' | 'warning' | 'skipped';

/** What one indexing run did, for the summary a user reads at the end. */
export interface IndexReport {
  filesSeen: number;
  filesUnchanged: number;
  /** Files prepared and embedded (fully or partly). */
  filesIndexed: number;
  /** Files whose vectors came from an identical file already indexed (copy, rename, touch). */
  filesReused: number;
  filesRemoved: number;
  itemsEmbedded: number;
  /** Items whose vector was already known, in this index or in the shared cache: no request. */
  itemsReused: number;
  /** Of the reused items, those whose vector came from the shared cache. */
  itemsFromSharedCache: number;
  itemsByKind: Record<ItemKind, number>;
  /** Files left out on purpose (too large, ignored links, caps). */
  skipped: FileProblem[];
  /** Files, or parts of their own content, the source could not read or the service rejected. */
  failed: FileProblem[];
  /** Files indexed with a caveat: image references not followed (missing, ignored, outside the root), caps applied. */
  warnings: FileProblem[];
  /** The shared cache the run looked items up in, when it had one. */
  sharedCache?: SharedCacheUse;
  /** Set when the run stopped early because nothing else could succeed. */
  fatal?: { readonly kind: string; readonly message: string };
  cancelled: boolean;
  durationMs: number;
  usage?: EmbeddingUsage;
  /** Requests the run used, by what they carried (a retry of the same request is not counted again). */
  requests: RequestsByKind;
}

export interface RequestsByKind {
  /** Image files, one request each. */
  images: number;
  /** Images markdown files show, with their captions. */
  figures: number;
  /** Rendered PDF pages. */
  pdfPages: number;
  /** Batches of markdown sections and PDF page texts, up to 32 a request... */
  textBatches: number;
  /** ...and the texts they carried. */
  texts: number;
}

export function emptyReport(): IndexReport {
  return {
    filesSeen: 0,
    filesUnchanged: 0,
    filesIndexed: 0,
    filesReused: 0,
    filesRemoved: 0,
    itemsEmbedded: 0,
    itemsReused: 0,
    itemsFromSharedCache: 0,
    itemsByKind: { image: 0, markdown: 0, pdf: 0, notebook: 0 },
    skipped: [],
    failed: [],
    warnings: [],
    cancelled: false,
    durationMs: 0,
    requests: { images: 0, figures: 0, pdfPages: 0, textBatches: 0, texts: 0 },
  };
}

/** Every problem of a report with its severity: failures first, then warnings, then skipped files. */
export function reportProblems(report: Pick<IndexReport, 'failed' | 'warnings' | 'skipped'>): Array<FileProblem & { readonly severity: ProblemSeverity }> {
  return [
    ...report.failed.map((problem) => ({ ...problem, severity: 'failure' as const })),
    ...report.warnings.map((problem) => ({ ...problem, severity: 'warning' as const })),
    ...report.skipped.map((problem) => ({ ...problem, severity: 'skipped' as const })),
  ];
}
