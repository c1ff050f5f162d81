import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeUtf8Strict, firstInvalidUtf8Offset } from '../../src/core/sources/markdown/decodeUtf8Strict';
import { splitMarkdown } from '../../src/core/sources/markdown/splitMarkdown';
import { SourceError } from '../../src/core/sources/sourceError';

const folder = mkdtempSync(path.join(os.tmpdir(), 'sightline-utf8-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Writes bytes to a real file and reads them back, as the indexer does. */
function roundTrip(name: string, bytes: Uint8Array | string): Uint8Array {
  const file = path.join(folder, name);
  writeFileSync(file, bytes);
  return readFileSync(file);
}

function decodeError(bytes: Uint8Array): SourceError {
  try {
    decodeUtf8Strict(bytes, 'docs/bad.md');
  } catch (error) {
    return error as SourceError;
  }
  throw new Error('expected a decoding error');
}

describe('decodeUtf8Strict', () => {
  it('decodes UTF-8 in every script and drops a byte order mark', () => {
    const text = '# Überblick 概要 Обзор نظرة 🚀\r\nText.\r\n';
    const bytes = roundTrip('bom.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const decoded = decodeUtf8Strict(bytes, 'bom.md');
    expect(decoded).toBe(text);
    expect(splitMarkdown(decoded, { minChars: 0 }).sections[0]).toMatchObject({
      headingPath: ['Überblick 概要 Обзор نظرة 🚀'],
      startLine: 1,
      endLine: 2,
    });
  });

  it('rejects Latin-1 text with not-utf8 and the offset of the first bad byte', () => {
    const bytes = roundTrip('latin1.md', Buffer.from('# Caf\u00e9 menu\n', 'latin1'));
    const error = decodeError(bytes);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'not-utf8', path: 'docs/bad.md' });
    expect(error.message).toContain('byte offset 5');
  });

  it('finds overlong forms, encoded surrogates, values past U+10FFFF and cut-off sequences', () => {
    const prefix = Buffer.from('ok é ');
    const cases: Array<[string, number[]]> = [
      ['overlong slash', [0xc0, 0xaf]],
      ['overlong three-byte', [0xe0, 0x80, 0xaf]],
      ['surrogate', [0xed, 0xa0, 0x80]],
      ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ['lone continuation', [0x80]],
      ['cut off at the end', [0xe6, 0x97]],
      ['bad second byte', [0xe6, 0x41, 0x41]],
    ];
    for (const [name, bad] of cases) {
      const bytes = roundTrip(`${name}.md`, Buffer.concat([prefix, Buffer.from(bad)]));
      expect(firstInvalidUtf8Offset(bytes), name).toBe(prefix.length);
      expect(decodeError(bytes).message, name).toContain(`byte offset ${prefix.length}`);
    }
    expect(firstInvalidUtf8Offset(Buffer.from('valid 日本語 🚀'))).toBe(-1);
  });
});
