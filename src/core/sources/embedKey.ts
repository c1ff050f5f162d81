import { createHash } from 'node:crypto';

/**
 * An embedKey names exactly what was sent to the model (and how it was prepared), so equal
 * keys mean equal vectors: a copy, a rename or a revert is found without an API call.
 * Bump PREPARATION_VERSION when the way inputs are built changes.
 */
const PREPARATION_VERSION = 1;

export function embedKeyOf(...parts: ReadonlyArray<string | number>): string {
  const hash = createHash('sha256');
  hash.update(`v${PREPARATION_VERSION}`);
  for (const part of parts) hash.update(`\u0000${part}`);
  return hash.digest('base64url').slice(0, 32);
}
