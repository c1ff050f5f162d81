import { describe, expect, it } from 'vitest';
import { pageRenderSize } from '../../src/core/sources/pdf/pageRenderSize';
import { hasRealText, MIN_PAGE_TEXT_CHARS, normalisePageText } from '../../src/core/sources/pdf/pageText';

describe('pageRenderSize', () => {
  const limits = { pixelBudget: 1_843_200, minPixels: 4096 };

  it.each([
    [612, 792],
    [595.28, 841.89],
    [792, 612],
    [1190.55, 1683.78],
    [14400, 14400],
  ])('fits a %s x %s pt page into the budget at its aspect ratio', (w, h) => {
    const size = pageRenderSize(w, h, limits);
    expect(size.width * size.height).toBeLessThanOrEqual(limits.pixelBudget);
    expect(size.width * size.height).toBeGreaterThan(limits.pixelBudget * 0.99);
    expect(size.width / size.height).toBeCloseTo(w / h, 2);
  });

  it('renders a Letter page at about 140 DPI', () => {
    const size = pageRenderSize(612, 792, limits);
    expect((size.width / 612) * 72).toBeGreaterThan(138);
    expect((size.width / 612) * 72).toBeLessThan(142);
  });

  it('caps small pages at 4x and lifts tiny ones to the minimum', () => {
    expect(pageRenderSize(100, 50, limits)).toEqual({ width: 400, height: 200 });
    const tiny = pageRenderSize(5, 5, limits);
    expect(tiny.width * tiny.height).toBeGreaterThanOrEqual(4096 - 2 * tiny.width);
    expect(tiny.width).toBeGreaterThan(20);
  });
});

describe('normalisePageText', () => {
  it('turns CRLF into LF, collapses spaces and tabs, trims lines and drops blank ones', () => {
    expect(normalisePageText('  Title \r\n\r\nfirst\t\tline  here\r\n   \r\nlast\u00a0line ')).toBe('Title\nfirst line here\nlast line');
  });

  it('removes control characters', () => {
    expect(normalisePageText('a\u0000b\u0002c\ufffe')).toBe('abc');
  });
});

describe('hasRealText', () => {
  it(`needs ${MIN_PAGE_TEXT_CHARS} non-space characters`, () => {
    expect(hasRealText('')).toBe(false);
    expect(hasRealText('Page 12')).toBe(false);
    expect(hasRealText('a b c d e f g h i j k l m n o p q r s')).toBe(false);
    expect(hasRealText('a b c d e f g h i j k l m n o p q r s t')).toBe(true);
  });
});
