import { readFile } from 'node:fs/promises';
import { SourceError } from '../sourceError';

/** A source given by path, by bytes already in memory, or both (the path then only names it). */
export interface SourceInput {
  readonly path?: string;
  readonly bytes?: Uint8Array;
}

export async function readInputBytes(input: SourceInput): Promise<Uint8Array> {
  if (input.bytes) return input.bytes;
  if (input.path === undefined) throw new TypeError('A source needs a path or bytes');
  try {
    return await readFile(input.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SourceError('unreadable', `Cannot read the file (${code})`, input.path, { cause: error });
  }
}
