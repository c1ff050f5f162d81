import { promises as fs, openSync, closeSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import MiniSearch from 'minisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRecord, IndexedItem } from '../../src/core/index/catalog/catalogTypes';
import { LexicalIndex } from '../../src/core/index/search/lexicalIndex';
import { lexicalTokens } from '../../src/core/index/search/lexicalTokens';
import { boundedEditDistance } from '../../src/core/index/search/words/editDistance';
import { kthLargest } from '../../src/core/index/search/words/scoreQuery';
import { DamagedWordSegmentError, WordSegment } from '../../src/core/index/search/words/wordSegment';
import { crc32 } from '../../src/core/index/vectors/crc32';
import * as guides from '../support/eval/docsRepoGuides';
import { FRENCH_BILLING_MD, GERMAN_SETUP_MD, JAPANESE_GUIDE_MD } from '../support/eval/docsRepoTranslations';

// A real-looking workspace: the evaluation docs repository's guides (English, German, French,
// Japanese) cut into sections, each guide copied into a few areas with its words shuffled a
// little, screenshots named by what they show, and PDF pages; identifiers and code spans included.
const MARKDOWN: string[] = [
  ...Object.values<unknown>(guides).filter((v): v is string => typeof v === 'string'),
  GERMAN_SETUP_MD,
  FRENCH_BILLING_MD,
  JAPANESE_GUIDE_MD,
];

function sections(markdown: string): Array<{ heading: string; text: string; line: number }> {
  const out: Array<{ heading: string; text: string; line: number }> = [];
  let current = { heading: '', text: '', line: 1 };
  markdown.split('\n').forEach((line, i) => {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      if (current.text.trim()) out.push(current);
      current = { heading: heading[1]!, text: `${heading[1]}\n`, line: i + 1 };
    } else current.text += `${line}\n`;
  });
  if (current.text.trim()) out.push(current);
  return out;
}

function workspace(): FileRecord[] {
  const records: FileRecord[] = [];
  let row = 0;
  const AREAS = ['docs', 'docs/v2', 'handbook/ops', 'archive/2023', 'sites/partner-portal'];
  AREAS.forEach((area, a) => {
    MARKDOWN.forEach((markdown, m) => {
      const title = /^#\s+(.*)$/m.exec(markdown)?.[1] ?? `guide ${m}`;
      const items: IndexedItem[] = sections(markdown).map((section, s) => {
        // Later areas drop a word now and then, so documents differ in length and frequencies.
        const text = section.text
          .split(/(\s+)/)
          .filter((_, w) => (w * 7 + a * 3 + s) % (11 - a) !== 0)
          .join('');
        return {
          kind: 'markdown',
          part: 'section',
          line: section.line,
          headingPath: [title, section.heading],
          snippet: text.slice(0, 200),
          text,
          row: row++,
          embedKey: `m${a}-${m}-${s}`,
        };
      });
      records.push({
        root: a % 2 ? 'w2' : '',
        path: `${area}/${title.toLowerCase().replace(/\W+/g, '-')}.md`,
        kind: 'markdown',
        size: 1,
        mtimeMs: 1,
        hash: `h${a}-${m}`,
        title,
        items,
      });
    });
    for (const shot of ['login-screen-dark', 'billing_overview', 'deployPipelineStatus', 'grafana-latency-p99', 'エラー画面']) {
      records.push({
        root: '',
        path: `${area}/screenshots/${shot}.png`,
        kind: 'image',
        size: 1,
        mtimeMs: 1,
        hash: `i${a}${shot}`,
        items: [{ kind: 'image', part: 'image', row: row++, embedKey: `i${a}${shot}` }],
      });
    }
    records.push({
      root: '',
      path: `${area}/papers/incident-review.pdf`,
      kind: 'pdf',
      size: 1,
      mtimeMs: 1,
      hash: `p${a}`,
      title: 'Incident review: the database failover',
      items: [1, 2, 3].map((page) => ({
        kind: 'pdf' as const,
        part: 'page-text' as const,
        page,
        text: `Page ${page}. ${sections(MARKDOWN[(a + page) % MARKDOWN.length]!)[page % 3]?.text ?? ''} failover replica standby postgres`,
        row: row++,
        embedKey: `p${a}-${page}`,
      })),
    });
  });
  return records;
}

const QUERIES = [
  'deploy',
  'rollback a deployment',
  'billing invoice',
  'Authentifizierung Passwort',
  'facturation',
  '運用',
  'postgres standby zone',
  'harbor.yaml',
  'npm install -g @harbor/cli',
  'deployPipelineStatus',
  'pipeline status',
  'grafana latency',
  'screenshots login',
  'authenticaton', // a typo: fuzzy
  'monitorng alerts', // a typo: fuzzy
  'dashb', // a prefix
  'the',
  'incident review failover',
  'zzzz nothing matches',
  'backups restore snapshot retention',
  'networking firewall ingress certificate',
];

/** The lexical index as it was built with MiniSearch, for comparison. */
function miniSearchOf(records: readonly FileRecord[]): MiniSearch<{ id: string; path: string; heading: string; text: string }> {
  const search = new MiniSearch<{ id: string; path: string; heading: string; text: string }>({
    fields: ['path', 'heading', 'text'],
    tokenize: lexicalTokens,
    processTerm: (t) => t,
  });
  for (const file of records)
    search.addAll(
      file.items.map((item, index) => ({
        id: `${file.root}\u0000${file.path}\u0000${index}`,
        path: item.target ? `${file.path} ${item.target}` : file.path,
        heading: [file.title, ...(item.headingPath ?? [])].filter(Boolean).join(' '),
        text: item.text ?? item.snippet ?? '',
      })),
    );
  return search;
}

function miniSearchMatches(search: ReturnType<typeof miniSearchOf>, query: string): string[] {
  if (!lexicalTokens(query).length) return [];
  return search
    .search(query, { boost: { path: 2, heading: 1.5 }, prefix: (t) => t.length >= 4, fuzzy: (t) => (t.length >= 6 ? 0.15 : false), combineWith: 'OR' })
    .map((hit) => `${hit.id as string} ${hit.score.toPrecision(9)} ${[...hit.queryTerms].sort().join(',')}`)
    .sort();
}

function ourMatches(words: LexicalIndex, query: string): string[] {
  return words
    .query(query, 1_000_000)
    .map((m) => `${m.file}\u0000${m.item} ${m.score.toPrecision(9)} ${[...m.matchedTerms].sort().join(',')}`)
    .sort();
}

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-words-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Writes `words` as a segment file and opens it (the descriptor stays open for the test run). */
function saved(words: LexicalIndex, name: string, files: () => Iterable<FileRecord>): { index: LexicalIndex; file: string; headCrc: number; bytes: number } {
  const encoded = words.encode();
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.concat(encoded.chunks));
  const fd = openSync(file, 'r');
  return {
    index: LexicalIndex.onSegment(WordSegment.open(fd, { bytes: encoded.bytes, crc32: encoded.headCrc }), files),
    file,
    headCrc: encoded.headCrc,
    bytes: encoded.bytes,
  };
}

describe('the word index', () => {
  const records = workspace();
  const reference = miniSearchOf(records);

  it('scores every match of every query as MiniSearch did (BM25+, prefix and fuzzy weights, field boosts)', () => {
    const words = LexicalIndex.fromFiles(() => records);
    let compared = 0;
    for (const query of QUERIES) {
      const expected = miniSearchMatches(reference, query);
      expect(ourMatches(words, query), query).toEqual(expected);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(800);
    // Typos and prefixes did find words (the fuzzy and prefix paths were exercised).
    expect(words.query('authenticaton', 5).length).toBeGreaterThan(0);
    expect(words.query('dashb', 5)[0]!.matchedTerms).toEqual(['dashb']);
  });

  it('gives the same matches and order from a saved segment as from memory, with equal scores in file order', () => {
    const memory = LexicalIndex.fromFiles(() => records);
    const { index: segment } = saved(memory, 'round-trip.words', () => records);
    expect(segment.documentCount).toBe(memory.documentCount);
    for (const query of QUERIES) {
      const a = memory.query(query, 50).map((m) => [m.file, m.item, m.score.toPrecision(12)]);
      expect(
        segment.query(query, 50).map((m) => [m.file, m.item, m.score.toPrecision(12)]),
        query,
      ).toEqual(a);
    }
    // Equal scores (the same section in several areas) come in file order.
    const hits = segment.query('deploy', 1000);
    let ties = 0;
    for (let i = 1; i < hits.length; i++) {
      if (hits[i]!.score !== hits[i - 1]!.score) continue;
      ties++;
      expect(hits[i - 1]!.file < hits[i]!.file || (hits[i - 1]!.file === hits[i]!.file && hits[i - 1]!.item < hits[i]!.item)).toBe(true);
    }
    expect(ties).toBeGreaterThan(3);
  });

  it('follows files changed and deleted after the segment exactly as an index built from the final catalog, and saves them merged', () => {
    const { index: words } = saved(
      LexicalIndex.fromFiles(() => records),
      'before-changes.words',
      () => records,
    );
    const final = new Map(records.map((r) => [`${r.root}\u0000${r.path}`, r]));
    const change = (record: FileRecord) => {
      words.putFile(record);
      final.set(`${record.root}\u0000${record.path}`, record);
    };
    const remove = (record: FileRecord) => {
      words.deleteFile(record.root, record.path);
      final.delete(`${record.root}\u0000${record.path}`);
    };
    records.slice(0, 30).forEach((record, i) => {
      if (i % 3 === 0) remove(record);
      else change({ ...record, items: record.items.map((item) => ({ ...item, text: `${item.text ?? ''} kubernetes operator rollout ${i}` })) });
    });
    // A file changed twice, and a new file, and one deleted then put back.
    change({ ...records[40]!, items: [{ ...records[40]!.items[0]!, text: 'first version kubernetes' }] });
    change({ ...records[40]!, items: [{ ...records[40]!.items[0]!, text: 'second version rollout' }] });
    change({
      root: 'w3',
      path: 'new/notes.md',
      kind: 'markdown',
      size: 1,
      mtimeMs: 1,
      hash: 'n',
      items: [{ kind: 'markdown', part: 'section', row: 9999, embedKey: 'n', text: 'kubernetes notes' }],
    });
    remove(records[50]!);
    change(records[50]!);

    const rebuilt = miniSearchOf([...final.values()]);
    const queries = [...QUERIES, 'kubernetes operator', 'rollout', 'first version', 'second'];
    for (const query of queries) expect(ourMatches(words, query), query).toEqual(miniSearchMatches(rebuilt, query));

    const { index: merged } = saved(words, 'merged.words', () => final.values());
    expect(merged.documentCount).toBe(words.documentCount);
    for (const query of queries) expect(ourMatches(merged, query), query).toEqual(miniSearchMatches(rebuilt, query));
  });

  it('answers from the catalog when a postings block on disk is damaged, and refuses a damaged or crafted head', () => {
    const memory = LexicalIndex.fromFiles(() => records);
    const good = saved(memory, 'damaged.words', () => records);
    const bytes = readFileSync(good.file);
    const expected = ourMatches(memory, 'deploy');
    // Damage the postings (read only when a query needs them): every 40th byte.
    const damaged = Buffer.from(bytes);
    for (let at = bytes.readUInt32LE(20); at < damaged.length; at += 40) damaged[at]! ^= 0xff;
    writeFileSync(good.file, damaged);
    const copies = Object.fromEntries(QUERIES.map((q) => [q, ourMatches(memory, q)]));
    for (const query of QUERIES) expect(ourMatches(good.index, query), query).toEqual(copies[query]);
    expect(good.index.damaged).toBe(true);
    expect(ourMatches(good.index, 'deploy')).toEqual(expected);

    const open = (content: Buffer, recorded = { bytes: content.length, crc32: good.headCrc }) => {
      const file = path.join(dir, 'crafted.words');
      writeFileSync(file, content);
      const fd = openSync(file, 'r');
      try {
        return WordSegment.open(fd, recorded);
      } finally {
        closeSync(fd);
      }
    };
    const flipped = Buffer.from(bytes);
    flipped[100]! ^= 1;
    expect(() => open(flipped)).toThrow(DamagedWordSegmentError);
    expect(() => open(bytes.subarray(0, bytes.length - 1))).toThrow(/size/);
    expect(() => open(bytes, { bytes: bytes.length, crc32: good.headCrc ^ 1 })).toThrow(/checksum/);
    // A crafted head with a valid checksum whose first document points at a file that does not exist.
    const crafted = Buffer.from(bytes);
    crafted.writeUInt32LE(0xffffff, 72);
    crafted.writeUInt32LE(0, 56);
    const headBytes = crafted.readUInt32LE(20);
    const crc = crc32(crafted.subarray(0, headBytes));
    crafted.writeUInt32LE(crc, 56);
    expect(() => open(crafted, { bytes: crafted.length, crc32: crc })).toThrow(/names no file/);
  });
});

describe('bounded edit distance', () => {
  function levenshtein(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const up = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = up;
      }
    }
    return row[b.length]!;
  }

  it('equals Levenshtein distance within the bound and Infinity beyond it', () => {
    let state = 7;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 1);
    const word = () => Array.from({ length: 1 + (next() % 12) }, () => 'abcde'[next() % 5]).join('');
    let within = 0;
    for (let n = 0; n < 5000; n++) {
      const a = word();
      const b = next() % 2 ? word() : a.slice(0, next() % (a.length + 1)) + 'abcde'[next() % 5] + a.slice(next() % (a.length + 1));
      const max = next() % 4;
      const exact = levenshtein(a, b);
      expect(boundedEditDistance(a, b, max), `${a} ${b} ${max}`).toBe(exact <= max ? exact : Infinity);
      if (exact <= max) within++;
    }
    expect(within).toBeGreaterThan(500);
  });
});

describe('the k-th largest score', () => {
  it('equals the k-th of the sorted scores for random, tied, sorted and constant lists', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lists = [
      Array.from({ length: 1000 }, random),
      Array.from({ length: 999 }, () => Math.floor(random() * 5)),
      Array.from({ length: 500 }, (_, i) => i),
      Array.from({ length: 500 }, (_, i) => 500 - i),
      Array.from({ length: 300 }, () => 2.5),
      [3],
    ];
    for (const list of lists) {
      const sorted = [...list].sort((a, b) => b - a);
      for (const k of [1, 2, 10, Math.ceil(list.length / 2), list.length]) expect(kthLargest(Float64Array.from(list), k)).toBe(sorted[k - 1]);
    }
  });
});
