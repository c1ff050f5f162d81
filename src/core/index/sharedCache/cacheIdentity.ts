import { createHash } from 'node:crypto';
import type { RequestShapeOptions } from '../../embed/clientOptions';

/** Bump when the file layout or the way keys are derived changes: every older cache then misses. */
export const CACHE_FORMAT_VERSION = 1;

/** Bytes of one entry's key (a sha256). */
export const CACHE_KEY_BYTES = 32;

/**
 * What, besides an item's own content, decides the vector the service returns for it: the
 * model, the vector size asked for, and how the request is shaped. Two machines that agree on
 * these and on an item's embedKey send the same request and get the same vector.
 *
 * The endpoint is deliberately left out: the same model behind another gateway (a CI runner's
 * own vLLM with a larger rate limit) answers the same request with the same vector.
 */
export interface CacheIdentity {
  readonly model: string;
  /** The `dimensions` setting ('full' = the model's own size). */
  readonly dimensions: number | 'full';
  readonly shape: RequestShapeOptions;
}

/**
 * An entry's key: sha256 over the format version, the identity and the item's embedKey.
 *
 * The embedKey is the content identity, and it is enough: it already hashes the exact text
 * sent (with the instruction), or for a picture the source file's bytes with the pixel budget,
 * the instruction and the preparation version. Hashing the prepared bytes instead (the resized,
 * re-encoded PNG or JPEG) would add nothing the key lacks: those bytes follow from the source,
 * the budget and the preparation code, all in the key. What else can change them (the image
 * library's version, its platform's vector instructions) leaves the same picture at the same
 * size, and keying on it would make every picture miss between a Linux CI runner and a
 * teammate's Mac. It would also cost a full decode and re-encode of every image only to look it
 * up, when a hit should cost no more than making the thumbnail. (A PDF page has no file of its
 * own, so the sources layer already keys it by its rendered image.)
 *
 * The identity goes into every key, not only into the file's header, so a cache whose header
 * was edited to claim another model still cannot hand out its vectors: its keys do not match.
 */
export function cacheKeyOf(identity: CacheIdentity, embedKey: string): Buffer {
  return createHash('sha256').update(identityText(identity)).update('\u0000').update(embedKey).digest();
}

/** A stable text form of the identity (field order fixed), hashed into every key. */
export function identityText(identity: CacheIdentity): string {
  const { shape } = identity;
  return [
    `sightline-cache v${CACHE_FORMAT_VERSION}`,
    identity.model,
    String(identity.dimensions),
    `textFormat=${shape.textFormat}`,
    `systemMessage=${shape.systemMessage}`,
    `assistantTurn=${shape.assistantTurn}`,
    `continueFinalMessage=${shape.continueFinalMessage}`,
    `addSpecialTokens=${shape.addSpecialTokens}`,
  ].join('\u0000');
}

/** Why a cache made with `cached` cannot serve `wanted`, in words; undefined when it can. */
export function identityMismatch(cached: CacheIdentity, wanted: CacheIdentity): string | undefined {
  const differences: string[] = [];
  if (cached.model !== wanted.model) differences.push(`the model "${cached.model}" (this index uses "${wanted.model}")`);
  if (cached.dimensions !== wanted.dimensions) differences.push(`${sizeText(cached.dimensions)} (this index uses ${sizeText(wanted.dimensions)})`);
  const shapeFields = ['textFormat', 'systemMessage', 'assistantTurn', 'continueFinalMessage', 'addSpecialTokens'] as const;
  const shapes = shapeFields.filter((field) => cached.shape[field] !== wanted.shape[field]);
  if (shapes.length) {
    const listed = shapes.map((field) => `${field} ${String(cached.shape[field])} (here ${String(wanted.shape[field])})`).join(', ');
    differences.push(`another request shape: ${listed}`);
  }
  return differences.length ? `it was made for ${differences.join(' and ')}` : undefined;
}

function sizeText(dimensions: number | 'full'): string {
  return dimensions === 'full' ? 'full-size vectors' : `${dimensions}-dimension vectors`;
}
