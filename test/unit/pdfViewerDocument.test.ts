import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VIEW_PIXELS, PdfViewerDocument } from '../../src/core/sources/pdf/pdfViewerDocument';
import { reportPdf, reportTitle } from '../support/fixtures/pdfFixtures';
import { writePdf } from '../support/fixtures/pdfWriter';

/**
 * The page viewer's side of PDFium: a page drawn at the width the viewer asks for, with its
 * text placed where it is printed, so the viewer can lay a selectable text layer over it.
 */
describe('PdfViewerDocument', () => {
  let pdf: PdfViewerDocument;

  beforeAll(async () => {
    pdf = await PdfViewerDocument.open(reportPdf(3));
  });
  afterAll(async () => {
    await pdf.close();
  });

  it('counts the pages and draws the one asked for at the width asked for', async () => {
    expect(pdf.pageCount).toBe(3);
    const page = await pdf.renderPage(2, 816);
    expect(page).toMatchObject({ page: 2, width: 816, height: 1056, widthPt: 612, heightPt: 792 });
    const meta = await sharp(page.png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 816, 1056]);
    expect(page.text).toContain(reportTitle(2));
  });

  it('places each line of text where it is printed, measured from the top-left corner in points', async () => {
    const page = await pdf.renderPage(1, 612);
    const title = page.runs.find((run) => run.text.includes('Quarterly throughput report'));
    expect(title, JSON.stringify(page.runs.slice(0, 3))).toBeDefined();
    // The writer put the 20 pt title's baseline at y = 720 from the bottom, x = 72.
    expect(Math.abs(title!.left - 72)).toBeLessThan(3);
    expect(title!.top).toBeGreaterThan(792 - 720 - 20);
    expect(title!.top).toBeLessThan(792 - 720);
    expect(title!.height).toBeGreaterThan(8);
    expect(title!.height).toBeLessThan(24);
    // Runs follow the page from top to bottom: the title before the chart's labels.
    const labels = page.runs.filter((run) => /^Run \d/.test(run.text.trim()));
    expect(labels.length).toBeGreaterThan(0);
    expect(labels[0]!.top).toBeGreaterThan(title!.top);
  });

  it('keeps a huge zoom within the pixel cap and the page shape', async () => {
    const page = await pdf.renderPage(3, 100_000);
    expect(page.width * page.height).toBeLessThanOrEqual(MAX_VIEW_PIXELS);
    expect(page.height / page.width).toBeCloseTo(792 / 612, 2);
  });

  it('says which page does not exist, and draws again afterwards', async () => {
    await expect(pdf.renderPage(4, 600)).rejects.toThrow('There is no page 4');
    await expect(pdf.renderPage(0, 600)).rejects.toThrow('There is no page 0');
    expect((await pdf.renderPage(1, 300)).width).toBe(300);
  });

  it('draws pages asked for at once one after the other, each correct', async () => {
    const pages = await Promise.all([1, 2, 3, 1].map((n) => pdf.renderPage(n, 400)));
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 1]);
    expect(pages[1]!.text).toContain(reportTitle(2));
  });

  it('gives a page without text an empty text layer', async () => {
    const blank = await PdfViewerDocument.open(writePdf([{ content: '' }]));
    try {
      const page = await blank.renderPage(1, 200);
      expect([page.runs, page.text]).toEqual([[], '']);
    } finally {
      await blank.close();
    }
  });

  it('refuses what is not a PDF with a reason', async () => {
    await expect(PdfViewerDocument.open(new Uint8Array())).rejects.toThrow('The file is empty');
    await expect(PdfViewerDocument.open(new TextEncoder().encode('%PDF-1.7 nonsense'))).rejects.toThrow('The file is not a readable PDF');
  });
});
