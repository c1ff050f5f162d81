import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lexicalTokens } from '../../src/core/index/search/lexicalTokens';
import { FIXTURE_MARKDOWN } from '../support/eval/docsRepoFixture';
import { CATEGORIES, EVAL_QUERIES, type Category } from '../support/eval/evalQueries';
import { metricsByCategory, type CategoryMetrics, type QueryOutcome, type RankingMode } from '../support/eval/evaluation';
import { startEvaluationWorld, type EvaluationWorld } from '../support/eval/evaluationWorld';

/**
 * Search quality on the evaluation set (test/support/eval) at a real model's modality gap
 * (0.3): a docs repository indexed by the product's indexer against the semantic fake server,
 * about 90 labelled queries. The floors are the measured numbers (BENCHMARKS.md, `npm run bench
 * -- quality`) less a small margin; the same run with one side switched off must fall below
 * them where that side is the only route.
 */

/** Hybrid nDCG@10 floors per category at gap 0.3 (measured: see BENCHMARKS.md). */
const NDCG_FLOORS: Record<Category | 'overall', number> = {
  'text-to-screenshot': 0.85,
  paraphrase: 0.78,
  'text-to-pdf': 0.9,
  'cross-lingual': 0.65,
  'image-to-image': 0.95,
  'image-and-words': 0.8,
  identifier: 0.95,
  overall: 0.85,
};

let world: EvaluationWorld;
let outcomes: Map<RankingMode, QueryOutcome[]>;
let metrics: Map<RankingMode, CategoryMetrics>;

beforeAll(async () => {
  world = await startEvaluationWorld({ semantic: { modalityGap: 0.3 }, dimensions: 1024 });
  outcomes = await world.evaluate();
  metrics = new Map([...outcomes].map(([mode, list]) => [mode, metricsByCategory(list)]));
}, 120_000);
afterAll(async () => {
  await world?.close();
});

const hybrid = (category: Category | 'overall') => metrics.get('hybrid')![category];
const misses = (mode: RankingMode, category: Category) =>
  outcomes
    .get(mode)!
    .filter((o) => o.query.category === category && o.metrics.ndcg < 0.8)
    .map((o) => `${o.query.text ?? o.query.image ?? o.query.similarTo}: ${o.top.slice(0, 3).join(', ')}`)
    .join('\n');

describe('search quality on the evaluation set, modality gap 0.3', () => {
  it('has about 80 labelled queries in every category', () => {
    expect(EVAL_QUERIES.length).toBeGreaterThanOrEqual(80);
    for (const category of CATEGORIES) expect(EVAL_QUERIES.filter((q) => q.category === category).length, category).toBeGreaterThanOrEqual(8);
  });

  it('asks for screenshots in words that are not in their names or anywhere near them', () => {
    const stop = new Set(['a', 'an', 'and', 'the', 'of', 'for', 'with', 'to', 'on', 'in', 'or', 'is', 'are', 'you', 'can', 'where']);
    for (const query of EVAL_QUERIES.filter((q) => q.category === 'text-to-screenshot')) {
      const words = new Set(lexicalTokens(query.text!).filter((word) => !stop.has(word)));
      for (const label of query.labels) {
        if (!('image' in label) || label.grade === 1) continue;
        const nearby = [label.image, ...markdownAround(label.image)].join('\n');
        const shared = lexicalTokens(nearby).filter((word) => words.has(word));
        expect(shared, `"${query.text}" shares words with ${label.image} or the text around it`).toEqual([]);
      }
    }
  });

  it(`reaches hybrid nDCG@10 >= ${NDCG_FLOORS.overall} overall`, () => {
    expect(hybrid('overall').ndcg).toBeGreaterThanOrEqual(NDCG_FLOORS.overall);
  });

  it.each(CATEGORIES)('keeps %s above its floor, and within 0.02 of the better single side or above', (category) => {
    expect(hybrid(category).ndcg, misses('hybrid', category)).toBeGreaterThanOrEqual(NDCG_FLOORS[category]);
    const bestSingle = Math.max(metrics.get('lexical')![category].ndcg, metrics.get('vector')![category].ndcg);
    expect(hybrid(category).ndcg).toBeGreaterThanOrEqual(bestSingle - 0.02);
  });

  it('finds the screenshot a description means in the first 10 (recall@10 >= 0.9)', () => {
    expect(hybrid('text-to-screenshot').recall, misses('hybrid', 'text-to-screenshot')).toBeGreaterThanOrEqual(0.9);
  });

  it('falls below the floors without vector scores where meaning is the only route', () => {
    for (const category of ['paraphrase', 'cross-lingual', 'text-to-screenshot'] as const) {
      expect(metrics.get('lexical')![category].ndcg, category).toBeLessThan(NDCG_FLOORS[category]);
    }
  });

  it('falls below the identifier floor without lexical scores', () => {
    expect(metrics.get('vector')!.identifier.ndcg).toBeLessThan(NDCG_FLOORS.identifier);
  });
});

/** The alt text, headings and text of every markdown section that shows this image. */
function markdownAround(image: string): string[] {
  const around: string[] = [];
  for (const source of Object.values(FIXTURE_MARKDOWN)) {
    const lines = source.split('\n');
    lines.forEach((line, i) => {
      if (!line.includes(image.split('/').pop()!)) return;
      let start = i;
      while (start > 0 && !/^#{1,6}\s/.test(lines[start]!)) start--;
      let end = i + 1;
      while (end < lines.length && !/^#{1,6}\s/.test(lines[end]!)) end++;
      around.push(...lines.filter((l) => /^#\s/.test(l)), ...lines.slice(start, end));
    });
  }
  return around;
}
