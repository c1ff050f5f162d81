import { describe, expect, it } from 'vitest';
import { type Box, nextInDirection } from '../../src/webview/gridNavigation';
import { highlightParts, queryWords } from '../../src/webview/highlight';
import { pageCssWidth, stepZoom } from '../../src/webview/pdfViewer/zoomSteps';

/** The panel's and the page viewer's logic that needs no DOM: marks, arrow keys, zoom steps. */

describe('query word marks', () => {
  it('marks query words where words start, whatever the case, longest first', () => {
    const words = queryWords('Login log the  x');
    expect(words).toEqual(['login', 'log', 'the']);
    expect(highlightParts('Logins fail; the catalog logs it', words)).toEqual([
      { text: 'Login', mark: true },
      { text: 's fail; ', mark: false },
      { text: 'the', mark: true },
      { text: ' catalog ', mark: false },
      { text: 'log', mark: true },
      { text: 's it', mark: false },
    ]);
  });

  it('treats markup-like and regex-like text as text', () => {
    expect(highlightParts('<b>bold</b>', queryWords('bold'))).toEqual([
      { text: '<b>', mark: false },
      { text: 'bold', mark: true },
      { text: '</b>', mark: false },
    ]);
    expect(highlightParts('x(y)', ['(y'])).toEqual([{ text: 'x(y)', mark: false }]);
    expect(highlightParts('', ['a'])).toEqual([]);
    expect(highlightParts('設定ファイル', queryWords('設定'))).toEqual([
      { text: '設定', mark: true },
      { text: 'ファイル', mark: false },
    ]);
  });
});

describe('arrow keys through a grid and rows', () => {
  // Three tiles in a row, two below, then two full-width rows.
  const tile = (column: number, row: number): Box => ({ left: column * 110, right: column * 110 + 100, top: row * 110, bottom: row * 110 + 100 });
  const boxes: Box[] = [
    tile(0, 0),
    tile(1, 0),
    tile(2, 0),
    tile(0, 1),
    tile(1, 1),
    { left: 0, right: 400, top: 230, bottom: 270 },
    { left: 0, right: 400, top: 280, bottom: 320 },
  ];

  it('moves left and right along a row of tiles, and not off its ends', () => {
    expect(nextInDirection(boxes, 0, 'right')).toBe(1);
    expect(nextInDirection(boxes, 1, 'right')).toBe(2);
    expect(nextInDirection(boxes, 2, 'right')).toBeUndefined();
    expect(nextInDirection(boxes, 1, 'left')).toBe(0);
    expect(nextInDirection(boxes, 5, 'right')).toBeUndefined();
  });

  it('moves down and up by column, and from the grid to the rows and back', () => {
    expect(nextInDirection(boxes, 1, 'down')).toBe(4);
    expect(nextInDirection(boxes, 2, 'down')).toBe(4); // the nearest tile of the next row
    expect(nextInDirection(boxes, 4, 'down')).toBe(5);
    expect(nextInDirection(boxes, 5, 'down')).toBe(6);
    expect(nextInDirection(boxes, 6, 'down')).toBeUndefined();
    expect(nextInDirection(boxes, 5, 'up')).toBe(3); // the first tile under the row
    expect(nextInDirection(boxes, 3, 'up')).toBe(0);
    expect(nextInDirection(boxes, 0, 'up')).toBeUndefined();
  });
});

describe('page viewer zoom', () => {
  it('steps from any zoom, a fitted one between steps too, and stops at the ends', () => {
    expect(stepZoom(1, 1)).toBe(1.1);
    expect(stepZoom(1.03, 1)).toBe(1.1);
    expect(stepZoom(1.03, -1)).toBe(1);
    expect(stepZoom(4, 1)).toBe(4);
    expect(stepZoom(0.5, -1)).toBe(0.5);
  });

  it('sizes the page to the viewport or to the zoom level (100% = 96 px per inch)', () => {
    expect(pageCssWidth(612, 'fit', 900)).toBe(868);
    expect(pageCssWidth(612, 'fit', 50)).toBe(160);
    expect(pageCssWidth(612, 1, 900)).toBe(816);
    expect(pageCssWidth(612, 2, 900)).toBe(1632);
  });
});
