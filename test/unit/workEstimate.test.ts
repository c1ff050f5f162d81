import { describe, expect, it } from 'vitest';
import { RecentRate } from '../../src/core/index/indexer/indexProgress';
import { WorkEstimate } from '../../src/core/index/indexer/workEstimate';

describe('WorkEstimate', () => {
  it('counts an image file as one request and texts by the batch, before anything is read', () => {
    const work = new WorkEstimate(32);
    for (let i = 0; i < 10; i++) work.queued(`shot-${i}`, 'image', 200_000);
    work.queued('guide.md', 'markdown', 12_000); // about 10 sections of 1.2 KB
    expect(work.left).toEqual({
      items: { image: { done: 0, total: 10 }, markdown: { done: 0, total: 10 }, pdf: { done: 0, total: 0 }, notebook: { done: 0, total: 0 } },
      requests: 10 + 1,
      estimated: true,
    });
  });

  it('guesses unread documents from what the ones read held per byte, and is exact once all are read', () => {
    const work = new WorkEstimate(32);
    work.queued('a.md', 'markdown', 10_000);
    work.queued('b.md', 'markdown', 30_000);
    // a.md turns out to hold 40 sections (denser than the prior) and to show 2 images.
    for (let i = 0; i < 40; i++) work.item('a.md', 'section', 'markdown', i >= 4);
    work.firstStepRead('a.md', 2);
    // b.md is guessed at the density a.md had: 3 x 40 sections and 3 x 2 figures.
    expect(work.left.items.markdown).toEqual({ done: 4, total: 40 + 120 });
    expect(work.left.items.image).toEqual({ done: 0, total: 2 + 6 });
    expect(work.left.requests).toBe(2 + 6 + Math.ceil((36 + 120) / 32));
    expect(work.left.estimated).toBe(true);

    for (let i = 0; i < 100; i++) work.item('b.md', 'section', 'markdown', true);
    work.firstStepRead('b.md', undefined);
    expect(work.left.estimated).toBe(false);
    expect(work.left.items.markdown).toEqual({ done: 4, total: 140 });
    expect(work.left.requests).toBe(2 + Math.ceil(136 / 32));

    for (let i = 0; i < 36; i++) work.settled('section', 'markdown');
    work.forget('b.md');
    work.item('a.md', 'figure', 'image', true);
    work.item('a.md', 'figure', 'image', true);
    work.settled('figure', 'image');
    expect(work.left.requests).toBe(1 + Math.ceil(100 / 32));
    work.settled('figure', 'image');
    work.forget('a.md');
    for (let i = 0; i < 100; i++) work.settled('section', 'markdown');
    expect(work.left).toEqual({
      items: { image: { done: 2, total: 2 }, markdown: { done: 140, total: 140 }, pdf: { done: 0, total: 0 }, notebook: { done: 0, total: 0 } },
      requests: 0,
      estimated: false,
    });
  });

  it('replaces a PDF guess with its pages once its text is read: a text and a picture each', () => {
    const work = new WorkEstimate(32);
    work.queued('report.pdf', 'pdf', 1_000_000); // prior: 20 pages
    expect(work.left.items.pdf.total).toBe(40);
    for (let page = 1; page <= 12; page++) work.item('report.pdf', 'page-text', 'pdf', true);
    work.firstStepRead('report.pdf', 12);
    expect(work.left.items.pdf).toEqual({ done: 0, total: 24 });
    expect(work.left.requests).toBe(12 + 1);
  });
});

describe('RecentRate', () => {
  it('says nothing for the first seconds, then the rate over the last ten', () => {
    let now = 0;
    const rate = new RecentRate(10_000, 3000, () => now);
    expect(rate.sample(0)).toBeUndefined();
    now = 1000;
    // A burst at the start: 9 requests in the first second would read as 9/s.
    expect(rate.sample(9)).toBeUndefined();
    for (let second = 2; second <= 30; second++) {
      now = second * 1000;
      const value = rate.sample(9 + 5 * (second - 1));
      if (second >= 3 && second <= 10) expect(value).toBeGreaterThan(5);
      if (second >= 11) expect(value).toBeCloseTo(5, 6);
    }
  });
});
