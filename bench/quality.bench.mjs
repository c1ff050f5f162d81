// Search quality on the evaluation set (test/support/eval): a generated docs repository
// (screenshots and diagrams with captions the fake model "sees", markdown guides in four
// languages, PDFs) indexed by the product's own indexer against the semantic fake server, and
// about 90 labelled queries in seven categories. Reports nDCG@10, recall@10 and MRR per
// category for lexical-only, vector-only and hybrid ranking, side by side, at modality gaps of
// 0, 0.15 and 0.3.
//
//   node bench/quality.bench.mjs                      this checkout
//   node bench/quality.bench.mjs --baseline=DIR       also a checkout at DIR (its src/), as "before"
//   options: --gaps=0,0.15,0.3 --dims=1024 --json=out.json --misses=hybrid (print the misses)
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { bundleSources, sourcesFrom } from './support/bundleSources.mjs';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'];
  }),
);
const gaps = (args.get('gaps') ?? '0,0.15,0.3').split(',').map(Number);
const dims = Number(args.get('dims') ?? 1024);
const ENTRIES = ['test/support/eval/evaluationWorld.ts', 'test/support/eval/evaluation.ts', 'test/support/eval/evalQueries.ts'];

/** Takes everything under src/ from another checkout: the harness stays this one's. */
const variants = [{ name: 'now', lib: await bundleSources(ENTRIES), patchModes: false }];
if (args.has('baseline'))
  variants.unshift({ name: 'before', lib: await bundleSources(ENTRIES, { plugins: [sourcesFrom(path.resolve(args.get('baseline')))] }), patchModes: true });
const { CATEGORIES, CATEGORY_TITLES, EVAL_QUERIES, RANKING_MODES, metricsByCategory } = variants.at(-1).lib;

const json = [];
const f = (value) => value.toFixed(3);
for (const gap of gaps) {
  const results = new Map();
  for (const variant of variants) {
    const started = performance.now();
    const world = await variant.lib.startEvaluationWorld({ semantic: { modalityGap: gap }, dimensions: dims, patchModes: variant.patchModes });
    try {
      const outcomes = await world.evaluate();
      results.set(variant.name, new Map([...outcomes].map(([mode, list]) => [mode, metricsByCategory(list)])));
      json.push({
        gap,
        variant: variant.name,
        outcomes: Object.fromEntries(
          [...outcomes].map(([mode, list]) => [
            mode,
            list.map((o) => ({ category: o.query.category, query: o.query.text ?? o.query.image ?? o.query.similarTo, ...o.metrics, top: o.top })),
          ]),
        ),
      });
      const misses = args.get('misses');
      if (misses && variant.name === 'now') {
        for (const o of outcomes.get(misses))
          if (o.metrics.ndcg < 0.8)
            console.log(
              `miss (gap ${gap}, ${misses}) [${o.query.category}] ${JSON.stringify([o.query.image, o.query.similarTo, o.query.text].filter(Boolean).join(' + '))} nDCG ${f(o.metrics.ndcg)}\n    ${o.top.slice(0, 5).join('\n    ')}`,
            );
      }
    } finally {
      await world.close();
    }
    console.error(`gap ${gap} ${variant.name}: indexed and evaluated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const columns = variants.flatMap((variant) => RANKING_MODES.map((mode) => ({ variant: variant.name, mode })));
  const head = (metric) => columns.map((c) => `${metric} ${c.mode}${variants.length > 1 ? ` (${c.variant})` : ''}`);
  console.log(`\n### Modality gap ${gap} (${dims} dims, ${EVAL_QUERIES.length} queries)\n`);
  console.log(`| category | queries | ${[...head('nDCG@10'), ...head('R@10'), ...head('MRR')].join(' | ')} |`);
  console.log(
    `|---|---:|${columns
      .map(() => '---:|')
      .join('')
      .repeat(3)}`,
  );
  for (const category of [...CATEGORIES, 'overall']) {
    const count = category === 'overall' ? EVAL_QUERIES.length : EVAL_QUERIES.filter((q) => q.category === category).length;
    const cells = ['ndcg', 'recall', 'mrr'].flatMap((metric) => columns.map((c) => f(results.get(c.variant).get(c.mode)[category][metric])));
    console.log(`| ${category === 'overall' ? '**overall**' : CATEGORY_TITLES[category]} | ${count} | ${cells.join(' | ')} |`);
  }
}
if (args.has('json')) await writeFile(args.get('json'), JSON.stringify(json, null, 1));
