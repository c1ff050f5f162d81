import { describe, expect, it } from 'vitest';
import { openPdf } from '../../src/core/sources/pdf/openPdf';
import { pdfLoadError } from '../../src/core/sources/pdf/pdfLoadError';
import { pdfiumLibrary } from '../../src/core/sources/pdf/pdfiumLibrary';
import { tooManyPagesError } from '../../src/core/sources/pdf/tooManyPagesError';
import { SourceError } from '../../src/core/sources/sourceError';
import { reportPdf, reportTitle } from '../support/fixtures/pdfFixtures';
import { writePdf } from '../support/fixtures/pdfWriter';

describe('openPdf errors', () => {
  it('reports a PDF that needs a password as encrypted', async () => {
    const bytes = reportPdf(2, { encrypt: { user: 'secret', owner: 'owner-secret' } });
    const error = await openPdf({ bytes, path: 'locked.pdf' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'encrypted', path: 'locked.pdf' });
  });

  it('uses a real encrypted fixture: the right password opens it', async () => {
    const bytes = reportPdf(2, { encrypt: { user: 'secret', owner: 'owner-secret' } });
    const library = await pdfiumLibrary();
    const document = await library.loadDocument(bytes, 'secret');
    try {
      expect(document.getPageCount()).toBe(2);
      expect(document.getPage(1).getText()).toContain(reportTitle(2));
    } finally {
      document.destroy();
    }
  });

  it('opens a PDF encrypted with only an owner password, as any viewer would', async () => {
    const bytes = reportPdf(2, { encrypt: { user: '', owner: 'owner-secret' } });
    const pdf = await openPdf({ bytes });
    try {
      const texts: string[] = [];
      for await (const page of pdf.pages()) texts.push(page.text);
      expect(texts[1]).toContain(reportTitle(2));
    } finally {
      await pdf.close();
    }
  });

  it('reports bytes that are not a PDF as corrupt', async () => {
    const bytes = new TextEncoder().encode('%PNG this is not a PDF at all, just some bytes');
    await expect(openPdf({ bytes })).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('reports a PDF cut off before its cross-reference table as corrupt', async () => {
    const bytes = reportPdf(3);
    await expect(openPdf({ bytes: bytes.subarray(0, Math.floor(bytes.length * 0.6)) })).rejects.toMatchObject({
      code: 'corrupt',
    });
  });

  it('reports a PDF without pages, and an empty file, as empty', async () => {
    await expect(openPdf({ bytes: writePdf([]) })).rejects.toMatchObject({ code: 'empty' });
    await expect(openPdf({ bytes: new Uint8Array(0) })).rejects.toMatchObject({ code: 'empty' });
  });
});

describe('pdfLoadError', () => {
  it.each([
    ['Password required or incorrect password', 'encrypted'],
    ['Unsupported security scheme', 'encrypted'],
    ['File not in PDF format or corrupted', 'corrupt'],
    ['Unknown error', 'corrupt'],
  ])('maps "%s" to %s and keeps the cause', (message, code) => {
    const cause = new Error(message);
    const error = pdfLoadError(cause, 'a.pdf');
    expect(error).toMatchObject({ code, path: 'a.pdf', cause });
  });
});

describe('tooManyPagesError', () => {
  it('says how many pages there are and how many are indexed', () => {
    const error = tooManyPagesError(2000, 500, 'big.pdf');
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'too-many-pages', path: 'big.pdf' });
    expect(error.message).toBe('The PDF has 2000 pages; only the first 500 are indexed');
  });
});
