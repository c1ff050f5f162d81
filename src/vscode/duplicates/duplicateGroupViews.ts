import * as path from 'node:path';
import { fileKey } from '../../core/common/fileKey';
import type { DuplicateGroup } from '../../core/index/search/duplicateImages';
import type { DuplicateFileView, DuplicateGroupView } from '../../shared/duplicatesProtocol';
import type { IndexedFileFacts } from '../indexService';

/**
 * Duplicate groups as the panel shows them: each file with its thumbnail, size and date from the
 * index, groups in the engine's order. Files no longer in the index (deleted meanwhile) are left
 * out, and a group left with one file is no group.
 */
export function duplicateGroupViews(
  groups: readonly DuplicateGroup[],
  facts: ReadonlyMap<string, IndexedFileFacts>,
  options: { readonly showRoot: boolean; readonly thumbnailUri: (file: string) => string | undefined },
): DuplicateGroupView[] {
  const views: DuplicateGroupView[] = [];
  for (const group of groups) {
    const files: DuplicateFileView[] = [];
    for (const { root, path: relative } of group.files) {
      const file = facts.get(fileKey(root, relative));
      if (!file) continue;
      const folder = path.posix.dirname(relative) === '.' ? '' : path.posix.dirname(relative);
      const thumbnail = file.thumbnail ? options.thumbnailUri(file.thumbnail) : undefined;
      files.push({
        root,
        path: relative,
        name: path.posix.basename(relative),
        folder: options.showRoot ? [root, folder].filter(Boolean).join(' · ') : folder,
        bytes: file.bytes,
        modified: file.modified,
        ...(thumbnail ? { thumbnail } : {}),
      });
    }
    if (files.length < 2) continue;
    views.push(
      group.kind === 'exact'
        ? { kind: 'exact', title: 'Identical files', detail: `${files.length} copies of the same bytes`, files }
        : { kind: 'near', title: 'Near-identical images', detail: `${files.length} resized or recompressed copies of one picture`, files },
    );
  }
  return views;
}
