import { describe, expect, it } from 'vitest';
import { backgroundOpenOutcome } from '../../bench/support/statusBarTimeline.mjs';
import { statusText } from '../../src/vscode/statusBar';

// The texts come from the status bar's own statusText, so a change of wording there breaks this
// test instead of silently making the host memory benchmark measure before the open ended.
const empty = statusText({ kind: 'empty' }).text;
const opening = statusText({ kind: 'ready', files: 20_000, items: 100_000, opening: true }).text;
const ready = statusText({ kind: 'ready', files: 20_000, items: 100_000 }).text;
const failed = statusText({ kind: 'error', message: 'the index is damaged' }).text;
const at = (...texts: string[]) => texts.map((text, i) => ({ atMs: 10 * (i + 1), text }));

describe('backgroundOpenOutcome (host memory benchmark)', () => {
  it('ends the open when the item leaves "opening index" for the index count', () => {
    expect(backgroundOpenOutcome(at(empty, ready, opening, ready), { expectIndex: true })).toEqual({ openingAtMs: 30, openedAtMs: 40, items: 100_000 });
  });

  it('refuses a run whose status bar is still opening, or never opened', () => {
    expect(() => backgroundOpenOutcome(at(empty, ready, opening), { expectIndex: true })).toThrow(/still shows "opening index"/);
    // The manifest's count alone is what the item shows before the open starts: not an open.
    expect(() => backgroundOpenOutcome(at(empty, ready), { expectIndex: true })).toThrow(/never showed "opening index"/);
  });

  it('refuses an open that ended on an error or on an empty index', () => {
    expect(() => backgroundOpenOutcome(at(empty, opening, failed), { expectIndex: true })).toThrow(/ended on .*Sightline/);
    expect(() => backgroundOpenOutcome(at(empty, opening, empty), { expectIndex: true })).toThrow(/ended on/);
  });

  it('settles a window without an index on the not-indexed text, after the first render', () => {
    expect(backgroundOpenOutcome(at(empty, empty), { expectIndex: false })).toEqual({ settledAtMs: 20 });
    expect(() => backgroundOpenOutcome(at(empty), { expectIndex: false })).toThrow(/never settled/);
    expect(() => backgroundOpenOutcome(at(empty, opening, ready), { expectIndex: false })).toThrow(/without an index showed/);
  });
});
