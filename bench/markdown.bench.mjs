// Times markdown, MDX and notebook preparation side by side in one run:
// `node bench/markdown.bench.mjs [runs]`.
// - splitMarkdown on 1 MB of generated, realistic markdown, and on the same content written as MDX;
// - preparing a file as the indexer does (read, decode, split, admit and hash every image it shows,
//   build every item; no API call, no image decoding) for that markdown, that MDX, and a notebook
//   with the same text in cells and 40 plots;
// The sources are bundled from TypeScript with esbuild so this runs on plain Node.
import { bundleSources } from './support/bundleSources.mjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const runs = Number(process.argv[2] ?? 30);

const { splitMarkdown, prepareMarkdownFile, prepareNotebookFile, WalkedFiles, DEFAULT_PREPARATION, refusalOfReferencedFile } = await bundleSources([
  'src/core/sources/markdown/splitMarkdown.ts',
  'src/core/sources/markdown/prepareMarkdownFile.ts',
  'src/core/sources/notebook/prepareNotebookFile.ts',
  'src/core/sources/walk/walkedFiles.ts',
  'src/core/sources/walk/referencedFile.ts',
  'src/core/sources/preparationOptions.ts',
]);
const source = realisticMarkdown(1024 * 1024);
const mdx = asMdx(source);

function time(label, input, run, count = runs) {
  for (let warm = 0; warm < 3; warm++) run();
  const times = [];
  let result;
  for (let at = 0; at < count; at++) {
    const started = performance.now();
    result = run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label, input, median: times[Math.floor(times.length / 2)], min: times[0], result };
}

async function timeAsync(label, input, run, count = Math.min(runs, 15)) {
  for (let warm = 0; warm < 2; warm++) await run();
  const times = [];
  let result;
  for (let at = 0; at < count; at++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label, input, median: times[Math.floor(times.length / 2)], min: times[0], result };
}

// A workspace holding the files and every image they show, as small real files.
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sightline-prepare-bench-'));
const files = new WalkedFiles();
const images = new Set();
for (const reference of splitMarkdown(source).imageReferences) images.add(reference.target.replace(/\|.*$/, ''));
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
for (const image of images) {
  await fs.mkdir(path.join(root, 'docs', path.dirname(image)), { recursive: true });
  await fs.writeFile(path.join(root, 'docs', image), png);
  files.add(`docs/${image}`);
}
await fs.writeFile(path.join(root, 'docs/handbook.md'), source);
await fs.writeFile(path.join(root, 'docs/handbook.mdx'), mdx);
const notebook = notebookOf(source, await plots(40));
await fs.writeFile(path.join(root, 'docs/handbook.ipynb'), notebook);
const admission = { files, refusal: (relative) => refusalOfReferencedFile(root, relative, 'image') };
// Both passes, as the indexer runs them: the text first, the pictures in their turn.
const consume = async (prepared) => {
  let items = 0;
  for await (const _item of prepared.items) items++;
  if (prepared.images) for await (const _item of (await prepared.images()).items) items++;
  return { items, warnings: prepared.problems().length };
};

const rows = [
  time('splitMarkdown, markdown', `${kib(source)} markdown`, () => splitMarkdown(source)),
  time('splitMarkdown, MDX', `${kib(mdx)} MDX`, () => splitMarkdown(mdx, { mdx: true })),
  await timeAsync('prepare a markdown file', `${kib(source)}, ${images.size} images`, async () =>
    consume(await prepareMarkdownFile(root, 'docs/handbook.md', DEFAULT_PREPARATION, admission)),
  ),
  await timeAsync('prepare an MDX file', `${kib(mdx)}, ${images.size} images`, async () =>
    consume(await prepareMarkdownFile(root, 'docs/handbook.mdx', DEFAULT_PREPARATION, admission)),
  ),
  await timeAsync('prepare a notebook', `${kib(notebook)} JSON (text as above, 40 plots)`, async () =>
    consume(await prepareNotebookFile(root, 'docs/handbook.ipynb', DEFAULT_PREPARATION, admission)),
  ),
];
await fs.rm(root, { recursive: true, force: true });

const lines = source.split('\n').length;
const split = rows[0].result;
console.log(`input: ${kib(source)}, ${lines} lines -> ${split.sections.length} sections, ${split.imageReferences.length} image references; runs: ${runs}`);
console.log('| benchmark | input | median | min | MB/s (median) | items |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) {
  const bytes = row.label.includes('notebook') ? Buffer.byteLength(notebook) : row.label.includes('MDX') ? Buffer.byteLength(mdx) : Buffer.byteLength(source);
  const items = row.result.items ?? row.result.sections.length + row.result.imageReferences.length;
  const warnings = row.result.warnings ? ` (${row.result.warnings} warnings)` : '';
  console.log(
    `| ${row.label} | ${row.input} | ${row.median.toFixed(1)} ms | ${row.min.toFixed(1)} ms | ${(bytes / 1e6 / (row.median / 1000)).toFixed(1)} | ${items}${warnings} |`,
  );
}

function kib(text) {
  return `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`;
}

/** The same handbook as a Docusaurus page: imports, an exported component, tabs, admonitions and JSX images. */
function asMdx(markdown) {
  const body = markdown
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(
      /^(## Setup (\d+))$/gm,
      (_all, heading, n) =>
        `${heading}\n\n<Tabs groupId="os">\n  <TabItem value="linux" label="Linux">\n\nRun the installer ${n} from a terminal.\n\n  </TabItem>\n</Tabs>`,
    )
    .replace(
      /^(### Options \d+)$/gm,
      '$1\n\n:::tip Defaults\n\nThe defaults suit most workspaces; <Highlight color="#25c2a0">change</Highlight> them only when needed. {/* reviewed */}\n\n:::',
    );
  return [
    '---',
    'title: Sightline handbook',
    'sidebar_position: 2',
    '---',
    "import Tabs from '@theme/Tabs';",
    "import TabItem from '@theme/TabItem';",
    "import overview from './images/setup-0.png';",
    '',
    'export const Highlight = ({children, color}) => (',
    '  <span style={{backgroundColor: color, padding: "0.2rem"}}>{children}</span>',
    ');',
    '',
    '<img src={overview} alt="Overview" />',
    '',
    body,
  ].join('\n');
}

async function plots(count) {
  const { default: sharp } = await import('sharp');
  const result = [];
  for (let i = 0; i < count; i++) {
    const points = Array.from({ length: 50 }, (_, x) => `${20 + x * 12},${300 - Math.round(250 * Math.exp(-x / (5 + (i % 7))))}`).join(' ');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><rect width="100%" height="100%" fill="#fff"/><polyline points="${points}" fill="none" stroke="#1f77b4" stroke-width="2"/></svg>`;
    result.push((await sharp(Buffer.from(svg)).png().toBuffer()).toString('base64'));
  }
  return result;
}

/** The handbook split at its chapters into markdown cells, each followed by a code cell; plots spread over them. */
function notebookOf(markdown, plotData) {
  const chapters = markdown.replace(/^---\n[\s\S]*?\n---\n/, '').split(/\n(?=# Chapter)/);
  const cells = [];
  chapters.forEach((chapter, i) => {
    cells.push({ cell_type: 'markdown', metadata: {}, source: chapter.split('\n').map((line) => `${line}\n`) });
    const plot = i % Math.ceil(chapters.length / plotData.length) === 0 ? plotData[cells.length % plotData.length] : undefined;
    cells.push({
      cell_type: 'code',
      execution_count: i + 1,
      metadata: {},
      source: [`history = train(chapter=${i})\n`, "plt.plot(history['loss'])\n", 'plt.show()'],
      outputs: plot ? [{ output_type: 'display_data', data: { 'image/png': plot, 'text/plain': ['<Figure size 640x360 with 1 Axes>'] }, metadata: {} }] : [],
    });
  });
  return JSON.stringify({ cells, metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 });
}

/**
 * Documentation-like markdown: front matter, nested headings, prose paragraphs (some long and
 * unwrapped), lists, code fences with `#` comments, tables, images of every syntax, CJK text.
 */
function realisticMarkdown(targetChars) {
  const prose = [
    'The indexer walks the workspace, hashes each file and embeds only what changed since the last run.',
    'Screenshots are downscaled before upload, which cuts both the bytes sent and the tokens billed.',
    'Search ranks sections by cosine similarity and then rescores the top hundred exactly.',
    'When the server answers 429, requests back off and the pacer lowers its rate for a while.',
    '索引器会遍历工作区，只对自上次运行以来发生变化的文件重新生成向量。',
  ];
  const sentence = (i) => prose[i % prose.length];
  const paragraph = (i, count) => Array.from({ length: count }, (_, k) => sentence(i + k)).join(' ');
  const parts = ['---', 'title: Sightline handbook', 'tags: [search, images, docs]', '---', ''];
  let size = parts.join('\n').length;
  for (let chapter = 0; size < targetChars; chapter++) {
    const chunk = [
      `# Chapter ${chapter}: indexing and search`,
      '',
      paragraph(chapter, 4),
      '',
      `## Setup ${chapter}`,
      '',
      `![Setup screen ${chapter}](images/setup-${chapter}.png "Setup")`,
      '',
      '```bash',
      '# install the extension',
      `code --install-extension sightline-${chapter}.vsix`,
      '# index the workspace',
      'sightline index --root .',
      '```',
      '',
      `### Options ${chapter}`,
      '',
      '| Setting | Default | Meaning |',
      '|---|---|---|',
      '| `sightline.maxFiles` | 500000 | Files indexed at most |',
      '| `sightline.dimensions` | 1024 | Vector size kept |',
      '',
      `- First, ${sentence(chapter + 1)}`,
      `- Then, ${sentence(chapter + 2)}`,
      `  - Nested: see ![[diagram-${chapter}.png|Flow]] and [the guide][guide-${chapter}].`,
      '',
      `## Details ${chapter}`,
      '',
      paragraph(chapter + 2, 30),
      '',
      '<p align="center">',
      `  <img src="images/detail-${chapter}.svg" alt="Detail ${chapter}" width="480">`,
      '</p>',
      '',
      `Short note.`,
      '',
      `[guide-${chapter}]: docs/guide-${chapter}.md`,
      '',
    ].join('\n');
    parts.push(chunk);
    size += chunk.length + 1;
  }
  return parts.join('\n');
}
