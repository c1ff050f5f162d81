import { SourceError } from '../sourceError';

/** Turns PDFium's load failure (it reports FPDF_GetLastError as a message) into a per-file reason. */
export function pdfLoadError(error: unknown, path?: string): SourceError {
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error };
  if (/password/i.test(message)) {
    return new SourceError('encrypted', 'The PDF is password-protected', path, options);
  }
  if (/security scheme/i.test(message)) {
    return new SourceError('encrypted', 'The PDF is encrypted with an unsupported security handler', path, options);
  }
  return new SourceError('corrupt', 'The file is not a readable PDF', path, options);
}
