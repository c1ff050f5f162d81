import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../common/embeddingInput';
import { embedKeyOf } from '../embedKey';
import { hashFile } from '../fileHash';
import { extensionOf } from '../image/mimeExtension';
import type { ItemMeta } from '../itemTypes';
import type { PreparationOptions } from '../preparationOptions';
import type { PreparedItem } from '../preparedItem';
import { snippetOf } from '../snippet';
import type { SourcePreparer } from '../worker/sourcePreparer';

/** Where a figure sits in its document and what it is embedded with. */
export interface FigurePlace {
  readonly line?: number;
  readonly cell?: number;
  readonly headingPath: readonly string[];
  /** Text sent with the image: alt text, heading, the code and prose around it. */
  readonly caption: string;
  readonly snippet: string;
}

/**
 * An image a document shows, embedded with its caption. `target` has been admitted by the
 * walk's rules; its real location is checked again here, at read time, so a link swapped in
 * since cannot reach outside the root. Returns the item and the stat the record depends on, or
 * undefined when the file is gone.
 */
export async function figureItem(
  root: string,
  target: string,
  place: FigurePlace,
  options: PreparationOptions,
  preparer: SourcePreparer,
  signal?: AbortSignal,
): Promise<{ item: PreparedItem; stat: { size: number; mtimeMs: number } } | undefined> {
  const absolute = path.join(root, target);
  const stat = await statInside(root, absolute);
  if (!stat) return undefined;
  const imageHash = await hashFile(absolute);
  const instruction = options.documentInstruction;
  const meta: ItemMeta = {
    kind: 'image',
    part: 'figure',
    ...(place.line !== undefined ? { line: place.line, endLine: place.line } : {}),
    ...(place.cell !== undefined ? { cell: place.cell } : {}),
    headingPath: place.headingPath,
    target,
    snippet: snippetOf(place.snippet || target),
    text: place.caption,
  };
  const item: PreparedItem = {
    embedKey: embedKeyOf('figure', instruction ?? DEFAULT_DOCUMENT_INSTRUCTION, imageHash, options.pixelBudget, place.caption),
    meta,
    input: async () => {
      const prepared = await preparer.prepareImage({ path: absolute }, { pixelBudget: options.pixelBudget }, signal);
      return {
        embedding: { images: [prepared.embeddable], text: place.caption, instruction },
        thumbnail: { bytes: prepared.thumbnail.bytes, extension: extensionOf(prepared.thumbnail.mimeType) },
      };
    },
  };
  return { item, stat: { size: stat.size, mtimeMs: stat.mtimeMs } };
}

/** Only files whose real location is inside the workspace are read, whatever links say. */
async function statInside(root: string, absolute: string) {
  try {
    const [realRoot, realTarget] = await Promise.all([fs.realpath(root), fs.realpath(absolute)]);
    if (realTarget !== realRoot && !realTarget.startsWith(realRoot + path.sep)) return undefined;
    const stat = await fs.stat(realTarget);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}
