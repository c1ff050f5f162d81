// Times splitMarkdown on 1 MB of generated, realistic markdown: `node bench/markdown.bench.mjs [runs]`.
// The splitter is bundled from the TypeScript sources with esbuild so this runs on plain Node.
import { bundleSources } from './support/bundleSources.mjs';

const runs = Number(process.argv[2] ?? 30);

const { splitMarkdown } = await bundleSources('src/core/sources/markdown/splitMarkdown.ts');
const source = realisticMarkdown(1024 * 1024);

// Warm-up runs let V8 optimise before timing.
for (let run = 0; run < 3; run++) splitMarkdown(source);
const times = [];
let result;
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  result = splitMarkdown(source);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const lines = source.split('\n').length;
console.log(
  `input: ${(source.length / 1024).toFixed(0)} KiB, ${lines} lines -> ${result.sections.length} sections, ` +
    `${result.imageReferences.length} image references; runs: ${runs}`,
);
console.log('| benchmark | input | median | min |');
console.log('|---|---|---|---|');
console.log(`| splitMarkdown, default options | 1 MiB markdown | ${median.toFixed(1)} ms | ${times[0].toFixed(1)} ms |`);

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
