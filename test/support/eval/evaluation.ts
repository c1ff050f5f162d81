import type { SearchEngine } from '../../../src/core/index/search/searchEngine';
import type { SearchOptions, SearchQuery, SearchResult } from '../../../src/core/index/search/searchTypes';
import { FIXTURE_MARKDOWN, type DocsRepo } from './docsRepoFixture';
import { CATEGORIES, EVAL_QUERIES, type Category, type EvalQuery, type Label } from './evalQueries';
import { meanMetrics, queryMetrics, type QueryMetrics } from './rankingMetrics';

/**
 * Runs the labelled queries against a search engine over the evaluation workspace's index, the
 * way the panel asks (top results grouped per file, Find Similar filtered to images), and scores
 * the first K results per query and category.
 */

export const K = 10;
export const RANKING_MODES = ['lexical', 'vector', 'hybrid'] as const;
export type RankingMode = (typeof RANKING_MODES)[number];

export interface QueryOutcome {
  readonly query: EvalQuery;
  readonly mode: RankingMode;
  readonly metrics: QueryMetrics;
  /** The first K results as `path[#where] (grade)`, for reading a failure. */
  readonly top: readonly string[];
}

export type CategoryMetrics = Record<Category | 'overall', QueryMetrics>;

/** How a mode is switched on for an engine; by default the engine's own `mode` option. */
export type ModeSwitch = (engine: SearchEngine, mode: RankingMode) => SearchEngine;

export async function runQuery(engine: SearchEngine, repo: DocsRepo, query: EvalQuery, mode: RankingMode): Promise<QueryOutcome> {
  const searchQuery: SearchQuery = {
    ...(query.text ? { text: query.text } : {}),
    ...(query.image ? { imageBytes: repo.queryImage(query.image) } : {}),
    ...(query.similarTo ? { similarTo: { root: '', path: query.similarTo } } : {}),
  };
  const options: SearchOptions & { mode: RankingMode } = { top: K, mode, ...(query.similarTo ? { filters: { kinds: ['image'] } } : {}) };
  const wantsVectors = mode !== 'lexical';
  const results = !wantsVectors && !query.text ? [] : (await engine.search(searchQuery, options)).results;
  const { grades, labelGrades, top } = judge(results, query.labels);
  return { query, mode, metrics: queryMetrics(K, grades, labelGrades), top };
}

export async function evaluateModes(
  engineFor: (mode: RankingMode) => SearchEngine,
  repo: DocsRepo,
  queries: readonly EvalQuery[] = EVAL_QUERIES,
): Promise<Map<RankingMode, QueryOutcome[]>> {
  const outcomes = new Map<RankingMode, QueryOutcome[]>();
  for (const mode of RANKING_MODES) {
    const engine = engineFor(mode);
    const list: QueryOutcome[] = [];
    for (const query of queries) list.push(await runQuery(engine, repo, query, mode));
    outcomes.set(mode, list);
  }
  return outcomes;
}

export function metricsByCategory(outcomes: readonly QueryOutcome[]): CategoryMetrics {
  const byCategory = Object.fromEntries(
    CATEGORIES.map((category) => [category, meanMetrics(outcomes.filter((o) => o.query.category === category).map((o) => o.metrics))]),
  );
  return { ...byCategory, overall: meanMetrics(outcomes.map((o) => o.metrics)) } as CategoryMetrics;
}

function judge(results: readonly SearchResult[], labels: readonly Label[]): { grades: number[]; labelGrades: number[]; top: string[] } {
  const credited = new Set<number>();
  const grades: number[] = [];
  const top: string[] = [];
  for (const result of results.slice(0, K)) {
    const index = labels.findIndex((label, i) => !credited.has(i) && matches(result, label));
    const grade = index < 0 ? 0 : (labels[index]!.grade ?? 2);
    if (index >= 0) credited.add(index);
    grades.push(grade);
    top.push(`${describe(result)} (${grade})`);
  }
  return { grades, labelGrades: labels.map((label) => label.grade ?? 2), top };
}

function matches(result: SearchResult, label: Label): boolean {
  if ('file' in label) return result.path === label.file;
  if ('image' in label) return (result.part === 'image' && result.path === label.image) || (result.part === 'figure' && result.target === label.image);
  if ('pdf' in label) return result.path === label.pdf && result.page === label.page;
  if (result.path !== label.section || result.part !== 'section' || result.line === undefined) return false;
  const line = headingLine(label.section, label.heading);
  return result.line <= line && line <= (result.endLine ?? result.line);
}

/** 1-based line of a heading in a fixture markdown file. */
export function headingLine(file: string, heading: string): number {
  const source = FIXTURE_MARKDOWN[file];
  if (source === undefined) throw new Error(`no fixture markdown ${file}`);
  const index = source.split('\n').findIndex((line) => /^#{1,6}\s/.test(line) && line.replace(/^#+\s+/, '').trim() === heading);
  if (index < 0) throw new Error(`no heading "${heading}" in ${file}`);
  return index + 1;
}

function describe(result: SearchResult): string {
  const where = result.page !== undefined ? `#page=${result.page}` : result.headingPath?.length ? `#${result.headingPath.at(-1)}` : '';
  return `${result.part === 'figure' ? `${result.path} -> ${result.target}` : result.path}${where}`;
}
