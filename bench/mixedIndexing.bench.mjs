// Indexing a mixed documentation workspace at the provider's rate:
//
//   node bench/mixedIndexing.bench.mjs [--before=DIR] [--after=DIR] [--runs=N] [--faults=off,on] [--prepared-mib=N]
//
// The fixture, generated once into the temp folder, looks like a real docs vault: 300 markdown
// files of 5-10 sections (about half show one or two screenshots), 250 screenshots and icons,
// and a few report PDFs written by the test PDF writer. The fake embeddings server runs in its
// own process and enforces the IONOS contract (5 requests/s, bursts of 10) with 50 ms latency;
// `--faults=on` also answers every 9th request it lets through with a 503 and drops the
// connection of every 13th. The client runs with the product's defaults (5/s, burst 10, 4 in
// flight), in a child process per run, driving the core Indexer as the CLI does.
//
// `--before=DIR` runs the same scenarios against another checkout (an older commit in its own
// worktree, with its node_modules installed), alternating with this one, so both sides are
// measured on the same machine state in one run. `--after=DIR` measures another checkout
// instead of this one (a fixed commit, while this tree changes).
//
// Reported per run, all from the server's own counters unless noted:
//   requests used   requests answered with vectors (each logical request ends in exactly one)
//   ideal           image requests (image files, figures, PDF page images) + ceil(texts / 32),
//                   over the distinct contents of the items the run put in the index (two
//                   items with the same content share one vector and one request)
//   attempts        every embeddings request the server saw, retries and refusals included
//   wall            the indexer's run, from start to the report (walk, prepare, embed, commit)
//   texts searchable / all searchable
//                   when every text item (markdown sections, PDF page texts), and every item,
//                   was in the catalog with a committed vector row: what a search started at that
//                   moment in the same process (the extension's case) can find
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSources } from './support/bundleSources.mjs';
import { startFakeServerProcess } from './support/fakeServerProcess.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const thisRepo = path.resolve(here, '..');
const LIMIT = { requestsPerSecond: 5, burst: 10 };
const LATENCY_MS = 50;
const FAULTS = [
  { every: 9, fault: { kind: 'status', status: 503 } },
  { every: 13, fault: { kind: 'drop-connection' } },
];
const TEXT_PARTS = new Set(['section', 'page-text']);
const AREAS = ['getting-started', 'configuration', 'operations', 'reference', 'troubleshooting', 'integrations'];
const TOPICS = ['login', 'dashboard', 'settings', 'billing', 'search', 'export', 'backup', 'alerts', 'users', 'reports', 'api-keys', 'themes'];
const WORDS =
  'the service index workspace folder request token rate limit image screenshot section heading upload model vector search result query panel status bar progress cache server client retry batch timeout connection error message file path setting option default value user account permission role audit log export backup restore schedule alert threshold metric dashboard chart report page'.split(
    ' ',
  );
const CORE = [
  'src/core/index/store/indexStore.ts',
  'src/core/index/indexer/indexer.ts',
  'src/core/embed/embeddingClient.ts',
  'src/core/settings/sightlineSettings.ts',
];

if (process.argv[2] === '--child') {
  await childRun(JSON.parse(process.argv[3]));
  process.exit(0);
}

const flag = (name) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const beforeRepo = flag('before') ? path.resolve(flag('before')) : undefined;
const runs = Number(flag('runs') ?? 1);
const faultModes = (flag('faults') ?? 'off,on').split(',');
// Bytes of prepared inputs waiting (a checkout that bounds them differently ignores it).
const preparedMib = flag('prepared-mib') ? Number(flag('prepared-mib')) : undefined;
const fixture = await ensureFixture(path.join(os.tmpdir(), 'sightline-bench-mixed-v1'));

const afterRepo = flag('after') ? path.resolve(flag('after')) : thisRepo;
const variants = [...(beforeRepo ? [{ name: 'before', repo: beforeRepo }] : []), { name: 'after', repo: afterRepo }];
const results = [];
for (const faults of faultModes) {
  for (let round = 0; round < runs; round++) {
    for (const variant of variants) {
      const result = await measure(variant, faults === 'on');
      results.push(result);
      console.error(`${variant.name}, faults ${faults}, round ${round + 1}: ${row(result).join(' | ')}`);
    }
  }
}

console.log(
  `\nfixture: ${fixture.markdown} markdown files (${fixture.figures} image references), ${fixture.images} image files, ${fixture.pdfs} PDFs of ${fixture.pdfPages} pages; ` +
    `server ${LIMIT.requestsPerSecond} req/s, burst ${LIMIT.burst}, ${LATENCY_MS} ms latency; client defaults (5/s, burst 10, concurrency 4)`,
);
console.log(
  '| code | faults | distinct texts / pictures | requests used | ideal | used / ideal | attempts (429s) | texts per text request | wall | wall / (accepted attempts / 5) | texts searchable | all searchable | peak RSS |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const result of results) console.log(`| ${row(result).join(' | ')} |`);

function row(r) {
  const accepted = r.server.embeddingRequests - r.server.rateLimited;
  return [
    r.variant,
    r.faults ? '503 every 9th, drop every 13th' : 'none',
    `${r.texts} / ${r.imageItems}`,
    String(r.used),
    String(r.ideal),
    (r.used / r.ideal).toFixed(3),
    `${r.server.embeddingRequests} (${r.server.rateLimited})`,
    (r.server.answered.texts / Math.max(1, r.server.answered.textRequests)).toFixed(1),
    `${(r.wallMs / 1000).toFixed(1)} s`,
    (r.wallMs / 1000 / (accepted / LIMIT.requestsPerSecond)).toFixed(3),
    seconds(r.textsSearchableMs),
    seconds(r.allSearchableMs),
    `${(r.maxRssKb / 1024).toFixed(0)} MB`,
  ];
}

function seconds(ms) {
  return ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`;
}

async function measure(variant, faults) {
  const server = await startFakeServerProcess({ latencyMs: LATENCY_MS, rateLimit: LIMIT, ...(faults ? { faultSchedule: FAULTS } : {}) });
  const indexDir = path.join(os.tmpdir(), `sightline-bench-mixed-index-${process.pid}-${variant.name}`);
  rmSync(indexDir, { recursive: true, force: true });
  try {
    const child = await new Promise((resolve, reject) => {
      const job = { repo: variant.repo, root: fixture.root, indexDir, baseUrl: server.baseUrl, preparedMib };
      const process_ = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      process_.on('message', resolve);
      process_.on('exit', (code) => code && reject(new Error(`${variant.name}: indexing child exited with ${code}`)));
    });
    const { stats } = await server.stats();
    return {
      variant: variant.name,
      faults,
      ...child,
      server: stats,
      used: stats.statusCounts[200] ?? 0,
      ideal: child.imageItems + Math.ceil(child.texts / 32),
    };
  } finally {
    await server.stop();
    rmSync(indexDir, { recursive: true, force: true });
  }
}

/** One indexing run of `job.repo`'s core over the fixture, watching what a search could find. */
async function childRun(job) {
  const core = await bundleSources(CORE, { repo: job.repo });
  const settings = { ...core.DEFAULT_SETTINGS, endpoint: job.baseUrl };
  const store = await core.IndexStore.open(job.indexDir, core.indexIdentityFrom(settings));
  const client = new core.EmbeddingClient(core.clientOptionsFrom(settings, 'test-key'));
  const timeline = [];
  const started = performance.now();
  const sample = () => {
    const committed = store.rowCount;
    let texts = 0;
    let all = 0;
    for (const record of store.catalog.allFiles()) {
      for (const item of record.items) {
        if (item.row >= committed) continue;
        all++;
        if (TEXT_PARTS.has(item.part)) texts++;
      }
    }
    timeline.push([performance.now() - started, texts, all]);
  };
  const sampler = setInterval(sample, 100);
  const options = {
    ...core.indexerOptionsFrom(settings, [{ key: '', path: job.root }]),
    ...(job.preparedMib ? { maxPreparedBytes: job.preparedMib * 1048576 } : {}),
  };
  const report = await new core.Indexer(store, client, options).run();
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  await store.close();
  await client.close();
  sample();
  if (report.fatal || report.failed.length) throw new Error(`the run failed: ${JSON.stringify(report.fatal ?? report.failed.slice(0, 3))}`);
  // The fewest requests that could have done it: one per distinct picture, one per 32 distinct
  // texts (an item whose content another already has is not sent again).
  const textKeys = new Set();
  const pictureKeys = new Set();
  let items = 0;
  for (const record of store.catalog.allFiles()) {
    for (const item of record.items) {
      items++;
      (TEXT_PARTS.has(item.part) ? textKeys : pictureKeys).add(item.embedKey);
    }
  }
  const texts = textKeys.size;
  const firstAt = (column, total) => timeline.find((entry) => entry[column] >= total)?.[0];
  const textItems = (indexStore) =>
    [...indexStore.catalog.allFiles()].reduce((n, record) => n + record.items.filter((item) => TEXT_PARTS.has(item.part)).length, 0);
  process.send({
    wallMs,
    texts,
    imageItems: pictureKeys.size,
    textsSearchableMs: firstAt(1, textItems(store)),
    allSearchableMs: firstAt(2, items),
    maxRssKb: process.resourceUsage().maxRSS,
    usage: report.usage,
  });
}

/**
 * The docs vault, made once: screenshots and icons of a few common sizes with modification
 * times spread over half a year, markdown guides whose sections read like documentation, and
 * report PDFs.
 */
async function ensureFixture(root) {
  const shape = { root, markdown: 300, images: 250, pdfs: 4, pdfPages: 36 };
  const marker = path.join(root, '.done');
  if (existsSync(marker)) return { ...shape, figures: Number(readFileSync(marker, 'utf8')) };
  rmSync(root, { recursive: true, force: true });
  const lib = await bundleSources(['test/support/fakeServer/syntheticImages.ts', 'test/support/fixtures/pdfFixtures.ts']);
  const random = seeded(20261129);
  const now = Date.now() / 1000;
  const age = () => now - random() * 180 * 86400;
  const sizes = [
    [1920, 1080],
    [1920, 1080],
    [1920, 1200],
    [1680, 1050],
    [1440, 900],
    [1280, 800],
  ];
  const shots = [];
  mkdirSync(path.join(root, 'assets', 'screenshots'), { recursive: true });
  mkdirSync(path.join(root, 'assets', 'icons'), { recursive: true });
  for (let i = 0; i < shape.images; i++) {
    const icon = i % 10 === 9;
    const [width, height] = icon ? [128, 128] : sizes[i % sizes.length];
    const relative = icon ? `assets/icons/icon-${i}.png` : `assets/screenshots/${topic(i)}-${i}.png`;
    writeFileSync(path.join(root, relative), await lib.renderSyntheticScreenshot(1000 + i, { width, height }));
    const when = age();
    utimesSync(path.join(root, relative), when, when);
    shots.push(relative);
  }
  let figures = 0;
  for (let i = 0; i < shape.markdown; i++) {
    const area = AREAS[i % AREAS.length];
    const relative = `docs/${area}/${topic(i * 7)}-${i}.md`;
    mkdirSync(path.join(root, 'docs', area), { recursive: true });
    const references = i % 2 === 0 ? [shots[Math.floor(random() * shots.length)], ...(random() < 0.5 ? [shots[Math.floor(random() * shots.length)]] : [])] : [];
    figures += references.length;
    writeFileSync(
      path.join(root, relative),
      guide(
        i,
        area,
        references.map((shot) => `../../${shot}`),
        random,
      ),
    );
    const when = age();
    utimesSync(path.join(root, relative), when, when);
  }
  mkdirSync(path.join(root, 'reports'), { recursive: true });
  [8, 12, 6, 10].forEach((pages, i) => {
    const file = path.join(root, 'reports', `quarterly-${2025 + Math.floor(i / 4)}-q${(i % 4) + 1}.pdf`);
    writeFileSync(file, lib.reportPdf(pages));
    const when = age();
    utimesSync(file, when, when);
  });
  writeFileSync(marker, String(figures));
  return { ...shape, figures };
}

function topic(i) {
  return TOPICS[i % TOPICS.length];
}

/** A guide of 5-10 sections, each a few paragraphs, a list or a code block, like real docs. */
function guide(n, area, images, random) {
  const sentence = () => {
    const length = 8 + Math.floor(random() * 14);
    const words = Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]);
    return `${words[0][0].toUpperCase()}${words.join(' ').slice(1)}.`;
  };
  const paragraph = () => Array.from({ length: 2 + Math.floor(random() * 3) }, sentence).join(' ');
  const lines = [`# ${area.replace(/-/g, ' ')}: ${topic(n * 7)} guide ${n}`, '', paragraph(), ''];
  const sections = 5 + Math.floor(random() * 6);
  for (let s = 1; s < sections; s++) {
    lines.push(`## ${topic(n + s)} step ${s}`, '', paragraph(), '');
    if (s % 3 === 0) lines.push('- ' + sentence(), '- ' + sentence(), '- ' + sentence(), '');
    if (s % 4 === 0) lines.push('```sh', `sightline index --root ./${area} --top ${s}`, '```', '');
    if (images.length && (s === 2 || (s === 4 && images.length > 1))) {
      const image = images[s === 2 ? 0 : 1];
      lines.push(`![The ${topic(n + s)} window in step ${s}](${image})`, '');
    }
  }
  return lines.join('\n');
}

function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}
