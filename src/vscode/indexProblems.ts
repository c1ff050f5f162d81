import type { FileRecord } from '../core/index/catalog/catalogTypes';
import type { FileProblem, IndexReport, ProblemSeverity } from '../core/index/indexer/indexReport';

export type IndexProblem = FileProblem & { readonly severity: ProblemSeverity };

/**
 * The problems of the index as it is, not of the last run: failures and warnings are kept with
 * each file in the catalog, so an unchanged file keeps its problems through a run that did not
 * touch it (a re-index with no change must not say "no problems" while they are all still there).
 * Skipped files have no record; those of the last run in this window are added. Failures first,
 * then warnings, then skipped files, each by path.
 */
export function indexProblems(files: Iterable<FileRecord>, lastReport: Pick<IndexReport, 'skipped'> | undefined): IndexProblem[] {
  const failures: IndexProblem[] = [];
  const warnings: IndexProblem[] = [];
  for (const file of files) {
    const where = { root: file.root, path: file.path };
    for (const failure of file.failures ?? []) failures.push({ ...where, ...failure, severity: 'failure' });
    for (const warning of file.warnings ?? []) warnings.push({ ...where, ...warning, severity: 'warning' });
  }
  const skipped: IndexProblem[] = (lastReport?.skipped ?? []).map((problem) => ({ ...problem, severity: 'skipped' }));
  const byPlace = (a: IndexProblem, b: IndexProblem) => a.root.localeCompare(b.root) || a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0);
  return [...failures.sort(byPlace), ...warnings.sort(byPlace), ...skipped.sort(byPlace)];
}
