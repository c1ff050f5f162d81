import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../embed/types';
import { inProcessPreparer, type SourcePreparer } from '../../sources/worker/sourcePreparer';
import { embedKeyOf } from './embedKeys';
import type { PreparationOptions } from './preparationOptions';
import type { PreparedFile, PreparedItem } from './preparedItem';

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
    items: (async function* () {
      yield item;
    })(),
    dependencies: () => [],
    problems: () => [],
  };
}

export function extensionOf(mimeType: string): string {
  return mimeType === 'image/jpeg' ? 'jpg' : (mimeType.split('/')[1] ?? 'bin');
}
