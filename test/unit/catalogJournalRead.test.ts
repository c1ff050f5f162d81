import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { JournalAppender, type JournalPosition, readJournal } from '../../src/core/index/store/catalogJournal';
import { CorruptIndexError } from '../../src/core/index/store/indexErrors';
import type { JournalEntry } from '../../src/core/index/store/journalEntry';

const NAME = 'journal-0.jsonl';

function markdownRecord(pathName: string, text: string): FileRecord {
  return {
    root: '',
    path: pathName,
    kind: 'markdown',
    size: text.length,
    mtimeMs: 1,
    hash: `hash-${pathName}`,
    title: text.slice(0, 12),
    items: [
      { kind: 'markdown', part: 'section', line: 1, headingPath: [text.slice(0, 5)], text, snippet: text.slice(0, 20), row: 0, embedKey: `key-${pathName}` },
    ],
  };
}

/** Journal lines as a writer appends them: vectors first, then files and a deletion, over two checkpoints. */
const ENTRIES: JournalEntry[] = [
  {
    t: 'v',
    k: [
      ['key-a.md', 0],
      ['key-ü.md', 1],
    ],
  },
  { t: 'f', r: markdownRecord('a.md', 'plain words about a kafka worker restart') },
  // Two-, three- and four-byte characters, so some chunk size cuts each of them.
  { t: 'f', r: markdownRecord('notes/ü/日本語.md', 'Größe of the café queue — 日本語のテキスト 🙂🚀 and more') },
  { t: 'd', root: '', path: 'a.md' },
  { t: 'f', r: markdownRecord('emoji-🙂.md', '🙂'.repeat(40)) },
];

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-journal-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function writeJournal(entries: readonly JournalEntry[]): Promise<JournalPosition> {
  const appender = await JournalAppender.open(dir, NAME, { bytes: 0, crc32: 0 });
  await appender.append(entries.slice(0, 2));
  const committed = await appender.append(entries.slice(2));
  await appender.close();
  return committed;
}

async function journalBytes(): Promise<Buffer> {
  return fs.readFile(path.join(dir, NAME));
}

describe('reading the catalog journal in chunks', () => {
  it('gives back every entry, whatever chunk size cuts its lines and characters', async () => {
    const committed = await writeJournal(ENTRIES);
    const bytes = await journalBytes();
    // The test needs characters that really span chunk ends: check the journal holds them.
    expect(bytes.length).toBeGreaterThan(Buffer.byteLength(JSON.stringify(ENTRIES), 'latin1'));
    for (const chunkBytes of [1, 2, 3, 5, 7, 13, 64, 257, bytes.length - 1, bytes.length, 1 << 20]) {
      expect(await readJournal(dir, NAME, committed, chunkBytes), `chunks of ${chunkBytes} bytes`).toEqual(ENTRIES);
    }
  });

  it('reads a line longer than many chunks', async () => {
    const long: JournalEntry[] = [{ t: 'v', k: Array.from({ length: 2000 }, (_, i) => [`key-${i}-ß`, i] as const) }, ENTRIES[1]!];
    const committed = await writeJournal(long);
    expect(await readJournal(dir, NAME, committed, 100)).toEqual(long);
  });

  it('ignores bytes past the committed length, even in the middle of a chunk and of a character', async () => {
    const committed = await writeJournal(ENTRIES.slice(0, 3));
    // A checkpoint that appended, then died before its manifest: a torn line with a cut character.
    const torn = Buffer.from('{"t":"f","r":{"path":"日本', 'utf8').subarray(0, 25);
    await fs.appendFile(path.join(dir, NAME), torn);
    for (const chunkBytes of [3, 64, 1 << 20]) expect(await readJournal(dir, NAME, committed, chunkBytes)).toEqual(ENTRIES.slice(0, 3));
  });

  it('reports a checksum that fails in the last chunk, after every line before it parsed', async () => {
    const committed = await writeJournal(ENTRIES);
    const bytes = await journalBytes();
    // The last entry's text is forty emoji: change one of them, keeping the JSON valid.
    const at = bytes.lastIndexOf(Buffer.from('🙂', 'utf8'));
    Buffer.from('😀', 'utf8').copy(bytes, at);
    await fs.writeFile(path.join(dir, NAME), bytes);
    const chunkBytes = 64;
    expect(Math.floor(at / chunkBytes)).toBe(Math.floor((bytes.length - 1) / chunkBytes));
    await expect(readJournal(dir, NAME, committed, chunkBytes)).rejects.toThrow(new CorruptIndexError('the catalog journal fails its checksum'));
  });

  it('reports a damaged byte that breaks a line as a failed checksum, not as the parse error it causes', async () => {
    const committed = await writeJournal(ENTRIES);
    const bytes = await journalBytes();
    bytes[bytes.indexOf('"r":')] = 0x7b; // '{' where a key's quote was: the line is no longer JSON
    await fs.writeFile(path.join(dir, NAME), bytes);
    for (const chunkBytes of [7, 1 << 20]) {
      const error: unknown = await readJournal(dir, NAME, committed, chunkBytes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptIndexError);
      expect((error as Error).message).toBe('the catalog journal fails its checksum');
    }
  });

  it('reports a journal shorter than the manifest says as truncated', async () => {
    const committed = await writeJournal(ENTRIES);
    await fs.truncate(path.join(dir, NAME), committed.bytes - 10);
    await expect(readJournal(dir, NAME, committed, 16)).rejects.toThrow(
      new CorruptIndexError(`the catalog journal is truncated: ${committed.bytes - 10} of ${committed.bytes} bytes`),
    );
  });

  it('reports a missing journal the manifest names', async () => {
    await expect(readJournal(dir, NAME, { bytes: 10, crc32: 0 })).rejects.toThrow(new CorruptIndexError(`the catalog journal ${NAME} is missing`));
    expect(await readJournal(dir, NAME, { bytes: 0, crc32: 0 })).toEqual([]);
  });
});
