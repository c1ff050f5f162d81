import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../common/embeddingInput';
import { inProcessPreparer, type SourcePreparer } from '../worker/sourcePreparer';
import { embedKeyOf } from '../embedKey';
import type { PreparationOptions } from '../preparationOptions';
import type { PreparedFile, PreparedItem } from '../preparedItem';
import { extensionOf } from './mimeExtension';

/** An image file is one item; its key comes from the file's hash, so reuse skips decoding. */
export function prepareImageFile(
  absolutePath: string,
  fileHash: string,
  options: PreparationOptions,
  preparer: SourcePreparer = inProcessPreparer,
  signal?: AbortSignal,
): PreparedFile {
  const item: PreparedItem = {
    embedKey: embedKeyOf('image', options.documentInstruction ?? DEFAULT_DOCUMENT_INSTRUCTION, fileHash, options.pixelBudget),
    meta: { kind: 'image', part: 'image' },
    input: async () => {
      const prepared = await preparer.prepareImage({ path: absolutePath }, { pixelBudget: options.pixelBudget }, signal);
      return {
        embedding: { images: [prepared.embeddable], instruction: options.documentInstruction },
        thumbnail: { bytes: prepared.thumbnail.bytes, extension: extensionOf(prepared.thumbnail.mimeType) },
      };
    },
  };
  return {
    items: [item],
    dependencies: () => [],
    problems: () => [],
  };
}
