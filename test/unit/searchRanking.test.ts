import { describe, expect, it } from 'vitest';
import { fuseScores } from '../../src/core/index/search/fuseScores';
import { lexicalEvidence } from '../../src/core/index/search/ranking/lexicalEvidence';
import { rankItems } from '../../src/core/index/search/ranking/rankItems';
import { relevanceOf } from '../../src/core/index/search/ranking/relevance';
import { calibrate, groupBackgrounds, MIN_BACKGROUND_SAMPLE, robustBackground } from '../../src/core/index/search/ranking/scoreCalibration';
import type { ItemDirectory } from '../../src/core/index/search/itemDirectory';

const spreadOf = (center: number, spread: number, count: number) =>
  Array.from({ length: count }, (_, i) => center + spread * Math.sqrt(2) * inverseErf((2 * (i + 0.5)) / count - 1));

/** Enough of the inverse error function for evenly spaced normal quantiles. */
function inverseErf(x: number): number {
  const a = 0.147;
  const ln = Math.log(1 - x * x);
  const first = 2 / (Math.PI * a) + ln / 2;
  return Math.sign(x) * Math.sqrt(Math.sqrt(first * first - ln / a) - first);
}

describe('score calibration', () => {
  it('reads the background from the median and the lower half, so related items in the sample do not move it', () => {
    const unrelated = spreadOf(0.6, 0.03, 60);
    const background = robustBackground(unrelated);
    expect(background.center).toBeCloseTo(0.6, 2);
    expect(background.spread).toBeCloseTo(0.03, 2);
    // A third of the sample related to the query, far above: the spread stays that of the unrelated.
    const contaminated = robustBackground([...unrelated, ...Array.from({ length: 20 }, () => 0.85)]);
    expect(contaminated.spread).toBeLessThan(0.05);
  });

  it('centres each kind on its own median and scales all kinds alike, so a modality gap does not decide the order', () => {
    // A text query: texts around 0.6, images around 0.3 (the gap); a matching image at 0.5, a loosely related text at 0.68.
    const backgrounds = groupBackgrounds(
      new Map([
        ['text', spreadOf(0.6, 0.03, 100)],
        ['image', spreadOf(0.3, 0.03, 40)],
        ['image-and-text', []],
      ]),
    );
    const image = calibrate(0.5, backgrounds.get('image')!);
    const text = calibrate(0.68, backgrounds.get('text')!);
    expect(image).toBeGreaterThan(text);
    expect(relevanceOf(image)).toBeGreaterThan(relevanceOf(text));
    expect(backgrounds.get('image')!.spread).toBe(backgrounds.get('text')!.spread);
  });

  it('falls back to the pooled sample when no kind has enough items to know its distribution', () => {
    const few = new Map([
      ['text', [0.5, 0.6]],
      ['image', [0.2]],
      ['image-and-text', []],
    ] as const);
    expect(MIN_BACKGROUND_SAMPLE).toBeGreaterThan(3);
    const backgrounds = groupBackgrounds(new Map(few.entries() as Iterable<[never, number[]]>));
    expect(backgrounds.get('text')).toEqual(backgrounds.get('image'));
  });

  it('shows everything of an index too small to have a background, by raw similarity', () => {
    const scores = [0.41, 0.52, 0.63];
    const backgrounds = groupBackgrounds(
      new Map([
        ['text', scores.slice(0, 2)],
        ['image', scores.slice(2)],
        ['image-and-text', []],
      ]),
    );
    const calibrated = scores.map((score) => calibrate(score, backgrounds.get('text')!));
    for (const value of calibrated) expect(relevanceOf(value)).toBeGreaterThan(0);
    expect(calibrated).toEqual([...calibrated].sort((a, b) => a - b));
    // A single item, too.
    const single = groupBackgrounds(new Map([['image', [0.3]]]));
    expect(relevanceOf(calibrate(0.3, single.get('image')!))).toBeGreaterThan(0);
  });

  it('maps calibrated scores to a relevance in 0..1: 0 at or below the background, rising without saturating early', () => {
    expect(relevanceOf(-3)).toBe(0);
    expect(relevanceOf(0)).toBe(0);
    expect(relevanceOf(4)).toBeGreaterThan(0.4);
    expect(relevanceOf(12)).toBeGreaterThan(relevanceOf(8) + 0.05);
    expect(relevanceOf(100)).toBeLessThanOrEqual(1);
  });
});

describe('lexical evidence and fusion', () => {
  const entry = (path: string, text: string, target?: string) => ({ file: { root: '', path }, item: { text, ...(target ? { target } : {}) } });
  const directory = {
    entries: [
      entry('docs/api.md', 'createDeployment(projectId) starts a deploy'),
      entry('docs/guide.md', 'create a deployment from the console'),
      entry('screenshots/capture-12.png', ''),
      entry('docs/faq.md', 'how do I find the settings'),
    ],
  } as unknown as ItemDirectory;

  it('counts a hit by the share of the query words it matched, so one common word is almost nothing', () => {
    const evidence = lexicalEvidence(
      [
        { id: 3, score: 10, matchedTerms: ['how', 'settings'] },
        { id: 1, score: 4, matchedTerms: ['settings'] },
      ],
      'how do I reach the printer settings',
      directory,
    );
    // "how" is a function word; one of "reach", "printer", "settings" matched: (1/3)^3.
    expect(evidence.get(3)).toBeCloseTo(1 / 27, 5);
    expect(evidence.get(1)!).toBeLessThan(0.02);
  });

  it('treats an identifier found verbatim and a file name as exact lookups', () => {
    const identifier = lexicalEvidence(
      [
        { id: 1, score: 9, matchedTerms: ['create', 'deployment'] },
        { id: 0, score: 8, matchedTerms: ['createdeployment', 'create', 'deployment'] },
      ],
      'createDeployment',
      directory,
    );
    expect(identifier.get(0)).toBe(1);
    expect(identifier.get(1)!).toBeLessThan(1);
    const file = lexicalEvidence(
      [
        { id: 2, score: 3, matchedTerms: ['capture', '12', 'png'] },
        { id: 1, score: 5, matchedTerms: ['12'] },
      ],
      'capture-12.png',
      directory,
    );
    expect(file.get(2)).toBe(1);
  });

  it('fuses as a probabilistic or: either side can make an item relevant, an exact lookup wins', () => {
    const fused = fuseScores(
      new Map([
        [0, 0.6],
        [1, 0.9],
      ]),
      new Map([
        [0, 1],
        [1, 0.05],
      ]),
    );
    expect(fused.get(0)).toBe(1);
    expect(fused.get(1)!).toBeCloseTo(1 - 0.1 * 0.95, 5);
    const ranked = rankItems(
      new Map([
        [0, { similarity: 0.5, calibrated: 2 }],
        [1, { similarity: 0.7, calibrated: 9 }],
      ]),
      new Map([[0, 1]]),
    );
    expect(ranked.map((item) => item.id)).toEqual([0, 1]);
    expect(ranked[1]!.similarity).toBe(0.7);
    // Without vectors the lexical evidence alone ranks.
    expect(
      rankItems(
        undefined,
        new Map([
          [3, 0.2],
          [2, 0.9],
        ]),
      ).map((item) => item.id),
    ).toEqual([2, 3]);
  });
});
