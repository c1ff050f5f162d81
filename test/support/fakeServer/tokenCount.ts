/**
 * Deterministic token accounting, close enough in scale to the real tokenizer for context-limit
 * and usage tests:
 * - text: one token per 4 UTF-8 bytes, rounded up;
 * - an image: one token per 32x32 pixel block of its decoded size (ceil(w/32) * ceil(h/32)),
 *   plus the two vision start/end markers;
 * - a chat message costs MESSAGE_OVERHEAD_TOKENS for `<|im_start|>role\n ... <|im_end|>\n`;
 * - a templated `input` string costs TEMPLATE_OVERHEAD_TOKENS for its three turns' markers;
 * - every sequence ends with one end-of-text token.
 */

export const MESSAGE_OVERHEAD_TOKENS = 5;
export const TEMPLATE_OVERHEAD_TOKENS = 13;
export const IMAGE_MARKER_TOKENS = 2;
export const END_OF_TEXT_TOKENS = 1;

export function countTextTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

export function countImageTokens(width: number, height: number): number {
  return Math.ceil(width / 32) * Math.ceil(height / 32) + IMAGE_MARKER_TOKENS;
}
