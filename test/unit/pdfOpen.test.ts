import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_MAX_PIXELS } from '../../src/core/sources/image/imageOptions';
import { openPdf } from '../../src/core/sources/pdf/openPdf';
import type { PdfDocumentSource, PdfPage } from '../../src/core/sources/pdf/pdfTypes';
import { photoPage, reportPage, reportPdf, reportTitle } from '../support/fixtures/pdfFixtures';
import { writePdf } from '../support/fixtures/pdfWriter';

async function readAll(pdf: PdfDocumentSource, signal?: AbortSignal): Promise<PdfPage[]> {
  const pages: PdfPage[] = [];
  for await (const page of pdf.pages(signal)) pages.push(page);
  return pages;
}

async function withPdf<T>(bytes: Uint8Array, options: Parameters<typeof openPdf>[1], use: (pdf: PdfDocumentSource) => Promise<T>): Promise<T> {
  const pdf = await openPdf({ bytes }, options);
  try {
    return await use(pdf);
  } finally {
    await pdf.close();
  }
}

describe('openPdf on a report with text and a chart', () => {
  let pages: PdfPage[];
  let pdf: PdfDocumentSource;

  beforeAll(async () => {
    pdf = await openPdf({ bytes: reportPdf(3) });
    pages = await readAll(pdf);
  });
  afterAll(async () => {
    await pdf.close();
  });

  it('counts the pages and reads them all, numbered from 1', () => {
    expect([pdf.pageCount, pdf.pagesToRead, pdf.truncated]).toEqual([3, 3, false]);
    expect(pages.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
    expect(pdf.pageErrors).toEqual([]);
  });

  it("extracts each page's own text, whitespace-normalised", () => {
    pages.forEach((page, i) => {
      expect(page.text.split('\n')[0]).toBe(reportTitle(i + 1));
      expect(page.text).toContain(`workspace number ${i + 1}.`);
      expect(page.text).not.toMatch(/\r|\t| {2}/);
      expect(page.hasText).toBe(true);
    });
    expect(pages[0]!.text).not.toContain(reportTitle(2));
  });

  it('reads the same texts without rendering the pages', async () => {
    const texts = await pdf.pageTexts();
    expect(texts).toEqual(pages.map((page) => ({ pageNumber: page.pageNumber, text: page.text, hasText: page.hasText })));
  });

  it('renders each page within the pixel budget, at the page aspect ratio, as PNG', async () => {
    for (const page of pages) {
      expect(page.image.mimeType).toBe('image/png');
      const meta = await sharp(page.image.bytes).metadata();
      expect(meta).toMatchObject({ format: 'png', width: page.width, height: page.height });
      expect(page.width * page.height).toBeLessThanOrEqual(MODEL_MAX_PIXELS);
      expect(page.width * page.height).toBeGreaterThan(MODEL_MAX_PIXELS * 0.99);
      expect(page.width / page.height).toBeCloseTo(612 / 792, 2);
    }
  });

  it('draws the chart: the first bar is blue where the page puts it', async () => {
    const page = pages[0]!;
    const scale = page.width / 612;
    // The first bar spans x 130..190 pt from y 202 pt up; PDF y runs bottom-up.
    const x = Math.round(160 * scale);
    const y = Math.round((792 - 215) * scale);
    const { data, info } = await sharp(page.image.bytes).raw().toBuffer({ resolveWithObject: true });
    const at = (y * info.width + x) * info.channels;
    expect([data[at], data[at + 1], data[at + 2]]).toEqual([51, 102, 204]);
    const corner = 5 * info.channels;
    expect([data[corner], data[corner + 1], data[corner + 2]]).toEqual([255, 255, 255]);
  });

  it('makes a WebP thumbnail of at most 256 px per side', async () => {
    for (const page of pages) {
      expect(page.thumbnail.mimeType).toBe('image/webp');
      expect(Math.max(page.thumbnail.width, page.thumbnail.height)).toBe(256);
      const meta = await sharp(page.thumbnail.bytes).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: page.thumbnail.width, height: page.thumbnail.height });
    }
  });
});

describe('openPdf page content', () => {
  it('sends a photographic page as JPEG, with no text', async () => {
    const pages = await withPdf(writePdf([reportPage(1), photoPage()]), {}, readAll);
    expect(pages.map((p) => p.image.mimeType)).toEqual(['image/png', 'image/jpeg']);
    expect(pages[1]).toMatchObject({ text: '', hasText: false });
    expect((await sharp(pages[1]!.image.bytes).metadata()).format).toBe('jpeg');
  });

  it('does not count a lone page number as text', async () => {
    const bytes = writePdf([{ content: 'BT /F1 10 Tf 300 40 Td (12) Tj ET\n' }]);
    const [page] = await withPdf(bytes, {}, readAll);
    expect(page).toMatchObject({ text: '12', hasText: false });
  });

  it('honours the pixel budget and thumbnail size options', async () => {
    const [page] = await withPdf(reportPdf(1), { pixelBudget: 200_000, thumbnailSize: 100 }, readAll);
    expect(page!.width * page!.height).toBeLessThanOrEqual(200_000);
    expect(page!.width * page!.height).toBeGreaterThan(195_000);
    expect(Math.max(page!.thumbnail.width, page!.thumbnail.height)).toBe(100);
  });

  it('renders a rotated page in its displayed orientation', async () => {
    const [page] = await withPdf(writePdf([{ ...reportPage(1), rotate: 90 }]), {}, readAll);
    expect(page!.width).toBeGreaterThan(page!.height);
    expect(page!.text).toContain(reportTitle(1));
  });

  it('caps the scale of a tiny page at 4x but keeps it above the model minimum', async () => {
    const [label, stamp] = await withPdf(
      writePdf([
        { width: 200, height: 100, content: 'BT /F1 12 Tf 10 50 Td (Shipping label) Tj ET\n' },
        { width: 10, height: 10, content: '0 0 0 rg 2 2 6 6 re f\n' },
      ]),
      {},
      readAll,
    );
    expect([label!.width, label!.height]).toEqual([800, 400]);
    expect(stamp!.width * stamp!.height).toBeGreaterThanOrEqual(4096);
  });
});

describe('openPdf page cap', () => {
  it('reads exactly maxPages pages of a longer PDF and says it is truncated', async () => {
    await withPdf(reportPdf(50), { maxPages: 10 }, async (pdf) => {
      expect([pdf.pageCount, pdf.pagesToRead, pdf.truncated]).toEqual([50, 10, true]);
      const pages = await readAll(pdf);
      expect(pages.map((p) => p.pageNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(pages[9]!.text).toContain(reportTitle(10));
    });
  });

  it('caps a 2,000-page PDF at 500 pages by default, and reads lazily from the start', async () => {
    await withPdf(reportPdf(2000), undefined, async (pdf) => {
      expect([pdf.pageCount, pdf.pagesToRead, pdf.truncated]).toEqual([2000, 500, true]);
      for await (const page of pdf.pages()) {
        expect(page.pageNumber).toBe(1);
        expect(page.text).toContain(reportTitle(1));
        break;
      }
    });
  });

  it('is not truncated at exactly maxPages', async () => {
    await withPdf(reportPdf(4), { maxPages: 4 }, async (pdf) => {
      expect([pdf.pagesToRead, pdf.truncated]).toEqual([4, false]);
    });
  });
});

describe('openPdf iteration control', () => {
  it('stops at an aborted signal between pages', async () => {
    await withPdf(reportPdf(5), {}, async (pdf) => {
      const controller = new AbortController();
      const seen: number[] = [];
      const run = (async () => {
        for await (const page of pdf.pages(controller.signal)) {
          seen.push(page.pageNumber);
          if (page.pageNumber === 2) controller.abort();
        }
      })();
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(seen).toEqual([1, 2]);
    });
  });

  it('stops reading after close, and close can be called twice', async () => {
    const pdf = await openPdf({ bytes: reportPdf(5) });
    const seen: number[] = [];
    for await (const page of pdf.pages()) {
      seen.push(page.pageNumber);
      if (page.pageNumber === 2) await pdf.close();
    }
    expect(seen).toEqual([1, 2]);
    await pdf.close();
  });

  it('can read the pages again from the start', async () => {
    await withPdf(reportPdf(2), {}, async (pdf) => {
      const first = await readAll(pdf);
      const second = await readAll(pdf);
      expect(second.map((p) => p.text)).toEqual(first.map((p) => p.text));
    });
  });

  it('skips a page that does not load, records why, and keeps the others', async () => {
    // The page tree lists a fourth page whose object does not exist.
    const text = Buffer.from(reportPdf(3)).toString('latin1');
    const broken = text.replace(/\/Kids \[(.*?)\] \/Count 3/, (_, kids: string) => `/Kids [${kids} 99 0 R] /Count 4`);
    await withPdf(Buffer.from(broken, 'latin1'), {}, async (pdf) => {
      const pages = await readAll(pdf);
      expect(pages.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
      expect(pdf.pageErrors).toHaveLength(1);
      expect(pdf.pageErrors[0]).toMatchObject({ code: 'corrupt' });
      expect(pdf.pageErrors[0]!.message).toMatch(/Page 4/);
    });
  });
});

describe('openPdf from a path', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sightline-pdf-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file by path', async () => {
    const path = join(dir, 'report.pdf');
    await writeFile(path, reportPdf(2));
    const pdf = await openPdf({ path });
    try {
      expect(pdf.pageCount).toBe(2);
      expect((await readAll(pdf)).map((p) => p.pageNumber)).toEqual([1, 2]);
    } finally {
      await pdf.close();
    }
  });

  it('reports a missing file as unreadable', async () => {
    const path = join(dir, 'missing.pdf');
    await expect(openPdf({ path })).rejects.toMatchObject({ code: 'unreadable', path });
  });
});
