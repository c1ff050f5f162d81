import type { DecodedImage } from '../imageFeatures';
import { IMAGE_FEATURE_LENGTH } from '../imageFeatures';
import { projectImageFeatures } from '../imageVectors';
import { LruCache } from '../lruCache';
import { finalizeHash, hashString, seededRandom } from '../seededRandom';
import { addWordFeatures } from '../textVectors';
import { conceptLexicon } from './conceptLexicon';
import { ConceptMatcher } from './conceptMatcher';
import type { ResolvedSemanticOptions } from './semanticOptions';
import { cjkCharacters, semanticWords, STOP_WORDS } from './semanticTokens';

/**
 * Vectors of the semantic fake model. Every vector is
 *
 *     v = A·common + B·modality + S·content,   A² + B² + S² = 1,
 *
 * with `common` one direction shared by everything (anisotropy: A² = anisotropy ± hubSpread,
 * varying per item so that some items are hubs), `modality` one direction for texts and another
 * for images (B² = modalityGap: two items of one modality share it, a text and an image do not),
 * and `content` a unit vector orthogonal to those three:
 *
 * - a text's content: its concepts (weighted 1 + ln(mentions)), each a random direction that
 *   shares `domainAffinity` with the other concepts of its domain, plus a residual of its own
 *   words (hashed, as in the plain model) so wording still counts for a little;
 * - an image's content: its registered caption's text content plus its pixel features (a fixed
 *   random projection of the thumbnail), so a resized copy lands next to the original.
 *
 * So unrelated items sit at cosine A·A' (+ B² within one modality), and a text query scores the
 * image it describes lower than a text saying the same, by about modalityGap.
 */
export class SemanticSpace {
  private readonly matcher = new ConceptMatcher(conceptLexicon());
  private readonly common: Float64Array;
  private readonly textModality: Float64Array;
  private readonly imageModality: Float64Array;
  private readonly concepts: Array<Float64Array | undefined> = [];
  private readonly domains = new Map<string, Float64Array>();
  private readonly hubDirection: Float64Array;
  private readonly textCache = new LruCache<string, Float32Array>(4096);

  constructor(
    readonly options: ResolvedSemanticOptions,
    readonly dimensions: number,
  ) {
    const [common, text, image] = orthonormalize([0, 1, 2].map((i) => gaussianVector(finalizeHash(options.seed + i), dimensions)));
    this.common = common!;
    this.textModality = text!;
    this.imageModality = image!;
    this.hubDirection = gaussianVector(finalizeHash(options.seed + 7), IMAGE_FEATURE_LENGTH);
  }

  textVector(text: string): Float32Array {
    let vector = this.textCache.get(text);
    if (!vector) {
      vector = this.compose(this.textContent(text), this.textModality, hubOffset(hashString(text, this.options.seed)));
      this.textCache.set(text, vector);
    }
    return vector;
  }

  imageVector(image: DecodedImage, caption: string | undefined): Float32Array {
    const pixels = this.withoutFrame(Float64Array.from(projectImageFeatures(image.features, this.dimensions)));
    let content = pixels;
    if (caption !== undefined) {
      const weight = this.options.pixelWeight;
      content = this.withoutFrame(mix(this.textContent(caption), Math.sqrt(1 - weight * weight), pixels, weight));
    }
    // The hub offset follows the pixels smoothly, so a resized copy keeps the original's.
    let projection = 0;
    for (let i = 0; i < IMAGE_FEATURE_LENGTH; i++) projection += image.features[i]! * this.hubDirection[i]!;
    return this.compose(content, this.imageModality, Math.tanh(1.5 * projection));
  }

  /** Concept ids a text mentions, with counts: lets tests check what the model "understood". */
  conceptsOf(text: string): Map<string, number> {
    const lexicon = this.matcher.concepts;
    return new Map([...this.matcher.mentions(text)].map(([index, count]) => [lexicon[index]!.id, count]));
  }

  /** Unit content vector of a text, orthogonal to the common and modality directions. */
  private textContent(text: string): Float64Array {
    const residual = new Float64Array(this.dimensions);
    const words = [...semanticWords(text).filter((word) => !STOP_WORDS.has(word)), ...cjkCharacters(text)];
    if (words.length === 0) addWordFeatures(residual, `\u0000raw:${text}`);
    for (const word of words) addWordFeatures(residual, word);
    normalizeInPlace(residual);

    const mentions = this.matcher.mentions(text);
    if (mentions.size === 0) return this.withoutFrame(residual);
    const concepts = new Float64Array(this.dimensions);
    for (const [index, count] of mentions) {
      const direction = this.conceptVector(index);
      const weight = 1 + Math.log(count);
      for (let i = 0; i < concepts.length; i++) concepts[i] = concepts[i]! + weight * direction[i]!;
    }
    normalizeInPlace(concepts);
    const share = this.options.wordResidual;
    return this.withoutFrame(mix(concepts, Math.sqrt(1 - share * share), residual, share));
  }

  private conceptVector(index: number): Float64Array {
    let vector = this.concepts[index];
    if (!vector) {
      const concept = this.matcher.concepts[index]!;
      let domain = this.domains.get(concept.domain);
      if (!domain) {
        domain = normalizeInPlace(gaussianVector(hashString(`domain:${concept.domain}`, this.options.seed), this.dimensions));
        this.domains.set(concept.domain, domain);
      }
      const own = normalizeInPlace(gaussianVector(hashString(`concept:${concept.id}`, this.options.seed), this.dimensions));
      const affinity = this.options.domainAffinity;
      vector = normalizeInPlace(mix(domain, Math.sqrt(affinity), own, Math.sqrt(1 - affinity)));
      this.concepts[index] = vector;
    }
    return vector;
  }

  private compose(content: Float64Array, modality: Float64Array, hub: number): Float32Array {
    const { anisotropy, hubSpread, modalityGap } = this.options;
    const commonShare = anisotropy + hubSpread * hub;
    const a = Math.sqrt(commonShare);
    const b = Math.sqrt(modalityGap);
    const s = Math.sqrt(1 - commonShare - modalityGap);
    const out = new Float32Array(this.dimensions);
    for (let i = 0; i < out.length; i++) out[i] = a * this.common[i]! + b * modality[i]! + s * content[i]!;
    return out;
  }

  /** Removes the common and modality directions and renormalises. */
  private withoutFrame(vector: Float64Array): Float64Array {
    for (const axis of [this.common, this.textModality, this.imageModality]) {
      let projection = 0;
      for (let i = 0; i < vector.length; i++) projection += vector[i]! * axis[i]!;
      for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! - projection * axis[i]!;
    }
    return normalizeInPlace(vector);
  }
}

/** A uniform offset in [-1, 1] from a hash: texts are hubs or not by chance, but stably. */
function hubOffset(hash: number): number {
  return (hash / 0xffffffff) * 2 - 1;
}

function gaussianVector(seed: number, dimensions: number): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(dimensions);
  for (let i = 0; i < dimensions; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < dimensions) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

function mix(a: Float64Array, weightA: number, b: Float64Array, weightB: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = weightA * a[i]! + weightB * b[i]!;
  return out;
}

function normalizeInPlace(vector: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * scale;
  return vector;
}

function orthonormalize(vectors: Float64Array[]): Float64Array[] {
  const basis: Float64Array[] = [];
  for (const vector of vectors) {
    for (const axis of basis) {
      let projection = 0;
      for (let i = 0; i < vector.length; i++) projection += vector[i]! * axis[i]!;
      for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! - projection * axis[i]!;
    }
    basis.push(normalizeInPlace(vector));
  }
  return basis;
}
