import { decodeImage } from './imageFeatures';
import { dot } from './vectorMath';

/**
 * What registered images "show". A real model reads a screenshot's content; this fake cannot,
 * so tests declare it: an incoming image whose thumbnail features are within
 * CAPTION_MATCH_THRESHOLD of a registered image gets that caption's words mixed into its vector,
 * which is what lets a text query find an image. Resized or recompressed copies still match.
 */

export const CAPTION_MATCH_THRESHOLD = 0.95;

interface Caption {
  readonly features: Float32Array;
  readonly caption: string;
}

export class CaptionRegistry {
  private captions: Caption[] = [];

  async describe(bytes: Uint8Array, caption: string): Promise<void> {
    const image = await decodeImage(bytes);
    this.captions.push({ features: image.features, caption });
  }

  /** The caption of the closest registered image, if any is close enough. */
  captionFor(features: Float32Array): string | undefined {
    let best: Caption | undefined;
    let bestSimilarity = CAPTION_MATCH_THRESHOLD;
    for (const candidate of this.captions) {
      // Both sides are unit length, so the dot product is the cosine.
      const similarity = dot(features, candidate.features);
      if (similarity > bestSimilarity) {
        best = candidate;
        bestSimilarity = similarity;
      }
    }
    return best?.caption;
  }

  get size(): number {
    return this.captions.length;
  }

  clear(): void {
    this.captions = [];
  }
}
