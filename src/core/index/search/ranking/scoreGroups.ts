import type { ItemPart } from '../../../sources/itemTypes';

/**
 * Items whose vectors come from the same kind of model input share a score distribution for a
 * query; different kinds do not (a text query scores texts higher than images showing the same
 * thing: the modality gap). Scores are calibrated within these groups before they are merged.
 */
export type ScoreGroup = 'text' | 'image' | 'image-and-text';
export const SCORE_GROUPS: readonly ScoreGroup[] = ['text', 'image', 'image-and-text'];

export function scoreGroupOf(part: ItemPart): ScoreGroup {
  switch (part) {
    case 'section':
    case 'page-text':
      return 'text';
    case 'image':
    case 'page-image':
      return 'image';
    case 'figure':
    case 'output':
      return 'image-and-text';
  }
}
