import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { indexProblems } from '../../src/vscode/indexProblems';

/** Show Index Problems lists the index's problems, which stay with unchanged files across runs. */

function file(path: string, extra: Partial<FileRecord> = {}): FileRecord {
  return { root: 'app', path, kind: 'markdown', size: 1, mtimeMs: 1, hash: 'h', items: [], ...extra };
}

describe('indexProblems', () => {
  it("takes failures and warnings from the files' records, skipped files from the last run, sorted by severity then place", () => {
    const files = [
      file('z.md', {
        warnings: [
          { code: 'missing-image', message: 'b.png is missing', line: 9 },
          { code: 'missing-image', message: 'a.png is missing', line: 3 },
        ],
      }),
      file('broken.pdf', { kind: 'pdf', failures: [{ code: 'corrupt', message: 'not a readable PDF' }] }),
      file('fine.md'),
    ];
    const problems = indexProblems(files, { skipped: [{ root: 'app', path: 'huge.png', code: 'too-large', message: 'over 50 MB' }] });
    expect(problems.map((p) => [p.severity, p.path, p.line])).toEqual([
      ['failure', 'broken.pdf', undefined],
      ['warning', 'z.md', 3],
      ['warning', 'z.md', 9],
      ['skipped', 'huge.png', undefined],
    ]);
  });

  it('still lists the problems after a run that changed nothing (its report has none)', () => {
    const files = [file('notes.md', { warnings: [{ code: 'missing-image', message: 'shot.png is missing', line: 4 }] })];
    const quietRun = { skipped: [] };
    expect(indexProblems(files, quietRun)).toEqual([
      { root: 'app', path: 'notes.md', code: 'missing-image', message: 'shot.png is missing', line: 4, severity: 'warning' },
    ]);
    expect(indexProblems([], undefined)).toEqual([]);
  });
});
