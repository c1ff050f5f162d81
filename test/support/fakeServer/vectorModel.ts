import type { DecodedImage } from './imageFeatures';
import { vectorForDecodedImage } from './imageVectors';
import { resolveSemanticOptions, type SemanticModelOptions } from './semantic/semanticOptions';
import { SemanticSpace } from './semantic/semanticSpace';
import { vectorForText } from './textVectors';
import { combineVectors } from './vectorMath';

/**
 * What the fake server's "model" does: a vector for a text, and for an image with what it shows
 * (its registered caption, if any). Mixed inputs combine these (see embeddingComputation).
 */
export interface VectorModel {
  text(text: string): Float32Array;
  image(image: DecodedImage, caption: string | undefined): Float32Array;
}

/** Hashed words and projected pixels: texts sharing words are close, everything else orthogonal. */
export function plainVectorModel(dimensions: number): VectorModel {
  return {
    text: (text) => vectorForText(text, dimensions),
    image: (image, caption) => {
      const vector = vectorForDecodedImage(image, dimensions);
      return caption === undefined ? vector : combineVectors([vector, vectorForText(caption, dimensions)]);
    },
  };
}

/** Concepts across languages, a modality gap and a common direction (see SemanticSpace). */
export function semanticVectorModel(options: SemanticModelOptions | true, dimensions: number): VectorModel {
  const space = new SemanticSpace(resolveSemanticOptions(options), dimensions);
  return { text: (text) => space.textVector(text), image: (image, caption) => space.imageVector(image, caption) };
}

export function vectorModelFor(semantic: SemanticModelOptions | boolean | undefined, dimensions: number): VectorModel {
  return semantic ? semanticVectorModel(semantic, dimensions) : plainVectorModel(dimensions);
}
