// Synthetic but realistic index contents for the scale benchmark, generated deterministically
// so that any process can regenerate any part of it: a workspace of markdown files (sections
// with headings and text), images (one item each, with a thumbnail name) and PDFs (a text and
// a rendered-page item per page), each file's vectors drawn around a cluster centre, and
// queries whose words come from one section and whose vector comes from its cluster.
import { createHash } from 'node:crypto';
import { NORMALS, prng } from './syntheticRandom.mjs';

export const MODEL = 'Qwen/Qwen3-VL-Embedding-8B';

// Words: a Zipf-distributed vocabulary of pronounceable tokens plus the kind of terms runbooks
// and design notes are full of (so queries look like what people type).
const SYLLABLES = [
  'ka',
  'fo',
  'ri',
  'mu',
  'te',
  'sa',
  'lo',
  'ne',
  'pi',
  'du',
  'ge',
  'zo',
  'wa',
  'chi',
  'ba',
  'ler',
  'ton',
  'mar',
  'vis',
  'quen',
  'stra',
  'pol',
];
const TERMS =
  'restart kafka worker deploy rollback database migration cache invalidate login screen dashboard latency error budget alert pager oncall incident review queue consumer producer partition replica leader election timeout retry backoff token refresh session cookie header proxy gateway ingress certificate renewal cluster node pod container image registry build pipeline release canary feature flag config secret vault backup restore snapshot index search shard mapping schema query plan vacuum lock deadlock throughput memory leak heap profile trace span metric histogram percentile'.split(
    ' ',
  );
const VOCABULARY = (() => {
  const words = [...TERMS];
  for (let i = 0; words.length < 30000; i++) {
    let word = '';
    let n = i;
    do {
      word += SYLLABLES[n % SYLLABLES.length];
      n = Math.floor(n / SYLLABLES.length);
    } while (n > 0);
    if (word.length >= 3) words.push(word);
  }
  return words;
})();

function word(next) {
  // Zipf-like: rank ~ exp(uniform * ln N), so common words are very common.
  const rank = Math.floor(Math.exp((next() / 4294967296) * Math.log(VOCABULARY.length))) - 1;
  return VOCABULARY[Math.min(VOCABULARY.length - 1, rank)];
}

function words(next, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(word(next));
  return out;
}

function hex(...parts) {
  return createHash('sha256').update(parts.join(':')).digest('hex');
}

/** The files of a workspace of about `count` items, in order; items are numbered densely (their rows). */
export function* workspaceFiles(count) {
  let row = 0;
  for (let f = 0; row < count; f++) {
    const next = prng(1_000_003 * f + 17);
    const area = `${word(next)}-${word(next)}`;
    const type = f % 10;
    const base = { root: '', size: 1000 + (next() % 100000), mtimeMs: 1_700_000_000_000 + f * 1000, hash: hex('file', f) };
    if (type < 6) {
      const sections = Math.min(count - row, 3 + (next() % 6));
      const title = words(next, 3).join(' ');
      const items = [];
      let line = 1;
      for (let s = 0; s < sections; s++) {
        const heading = words(next, 2 + (next() % 3)).join(' ');
        const text = `${heading}\n\n${words(next, 40 + (next() % 160)).join(' ')}`;
        const endLine = line + 4 + (next() % 30);
        items.push({
          kind: 'markdown',
          part: 'section',
          line,
          endLine,
          headingPath: [title, heading],
          snippet: text.slice(0, 280),
          text,
          row: row++,
          embedKey: hex('item', f, s),
        });
        line = endLine + 1;
      }
      yield { ...base, path: `docs/${area}/${word(next)}-${f}.md`, kind: 'markdown', title, items };
    } else if (type < 8) {
      yield {
        ...base,
        path: `assets/${area}/screenshot-${f}.png`,
        kind: 'image',
        items: [{ kind: 'image', part: 'image', row: row++, embedKey: hex('item', f, 0), thumbnail: `${hex('thumb', f).slice(0, 32)}.webp` }],
      };
    } else {
      const pages = Math.max(1, Math.min(Math.floor((count - row) / 2), 2 + (next() % 6)));
      const items = [];
      for (let p = 1; p <= pages && row < count; p++) {
        const text = words(next, 80 + (next() % 200)).join(' ');
        items.push({ kind: 'pdf', part: 'page-text', page: p, snippet: text.slice(0, 280), text, row: row++, embedKey: hex('item', f, p, 't') });
        if (row < count)
          items.push({
            kind: 'pdf',
            part: 'page-image',
            page: p,
            row: row++,
            embedKey: hex('item', f, p, 'i'),
            thumbnail: `${hex('thumb', f, p).slice(0, 32)}.webp`,
          });
      }
      yield { ...base, path: `papers/${area}/${word(next)}-${f}.pdf`, kind: 'pdf', title: words(next, 4).join(' '), items };
    }
  }
}

/** Cluster centres: one cluster per ~100 files, so near neighbours are a few hundred items. */
export function clusterCentres(count, dims) {
  const clusters = Math.max(10, Math.round(count / 500));
  const next = prng(99);
  const centres = new Float32Array(clusters * dims);
  const scale = 1 / Math.sqrt(dims);
  for (let i = 0; i < centres.length; i += 2) {
    const w = next();
    centres[i] = NORMALS[w & 0xffff] * scale;
    if (i + 1 < centres.length) centres[i + 1] = NORMALS[w >>> 16] * scale;
  }
  return { clusters, centres };
}

/** A unit vector near its file's cluster centre, written to out[offset ..]. */
export function itemVector(out, offset, dims, { clusters, centres }, file, item) {
  const next = prng(file * 7919 + item * 104729 + 5);
  const c = (file % clusters) * dims;
  const scale = 1 / Math.sqrt(dims);
  let sum = 0;
  for (let j = 0; j < dims; j += 2) {
    const w = next();
    const x0 = centres[c + j] + NORMALS[w & 0xffff] * scale;
    const x1 = centres[c + j + 1] + NORMALS[w >>> 16] * scale;
    out[offset + j] = x0;
    out[offset + j + 1] = x1;
    sum += x0 * x0 + x1 * x1;
  }
  const inv = 1 / Math.sqrt(sum);
  for (let j = 0; j < dims; j++) out[offset + j] *= inv;
}

/** Queries: three words of a markdown section and a vector from that section's cluster. */
export function queries(count, dims, n) {
  const centres = clusterCentres(count, dims);
  const files = [...workspaceFiles(Math.min(count, 20_000))].filter((file) => file.kind === 'markdown');
  const next = prng(4242);
  const out = [];
  for (let q = 0; q < n; q++) {
    const file = files[next() % files.length];
    const section = file.items[next() % file.items.length];
    const terms = section.text.split(/\s+/).filter((w) => w.length > 3);
    const text = [0, 1, 2].map(() => terms[next() % terms.length]).join(' ');
    const vector = new Float32Array(dims);
    // The query sits in the section's own cluster (its file's), with noise of its own.
    const fileIndex = Number(/-(\d+)\.md$/.exec(file.path)[1]);
    itemVector(vector, 0, dims, centres, fileIndex, 1000 + q);
    out.push({ text, vector: Array.from(vector) });
  }
  return out;
}
