import { hashString, seededRandom } from './seededRandom';
import { l2Normalize } from './vectorMath';

/**
 * Text vectors: a bag of hashed words. Texts that share words end up close, texts with no words
 * in common end up nearly orthogonal, which is all a retrieval test needs from a "model".
 *
 * - Words: NFKC, lower-cased, runs of letters/marks/digits; Han, Hiragana, Katakana and Hangul
 *   characters count as one word each, since those scripts do not put spaces between words.
 * - A handful of English function words are dropped so that "the" does not make every pair of
 *   sentences look related; a trailing plural "s" is folded ("screenshots" ~ "screenshot").
 * - Each word adds a signed unit to FEATURES_PER_WORD dimensions chosen by a seeded generator,
 *   one inside each of the nested prefixes in WORD_PREFIXES. Every Matryoshka cut therefore
 *   still carries some of every word, as a Matryoshka-trained model keeps meaning up front.
 * - The sum is L2-normalised.
 */

const WORD_PREFIXES = [64, 256, 1024, Number.POSITIVE_INFINITY] as const;
export const FEATURES_PER_WORD = WORD_PREFIXES.length;

const WORD_RUN = /[\p{L}\p{M}\p{N}]+/gu;
const SINGLE_CHARACTER_WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'in',
  'is',
  'it',
  'of',
  'on',
  'or',
  'that',
  'the',
  'this',
  'to',
  'was',
  'with',
]);

/** Every word of the text in order, before stop-word removal. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(WORD_RUN)) {
    if (!SINGLE_CHARACTER_WORD.test(match[0])) {
      words.push(match[0]);
      continue;
    }
    let current = '';
    for (const character of match[0]) {
      if (SINGLE_CHARACTER_WORD.test(character)) {
        if (current) words.push(current);
        current = '';
        words.push(character);
      } else {
        current += character;
      }
    }
    if (current) words.push(current);
  }
  return words;
}

function foldPlural(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** The words that shape the vector. Falls back to all words when a text is only stop words. */
export function contentWords(text: string): string[] {
  const words = splitWords(text);
  const content = words.filter((word) => !STOP_WORDS.has(word));
  return (content.length > 0 ? content : words).map(foldPlural);
}

/**
 * Signed positions (index + 1, negated for -1) of each word's features, per native size. Corpora
 * repeat words endlessly; a plain map emptied when full is cheaper here than an LRU.
 */
const wordFeatureCache = new Map<number, Map<string, Int32Array>>();
const WORD_CACHE_LIMIT = 100_000;

function wordFeatures(word: string, dimensions: number): Int32Array {
  let cache = wordFeatureCache.get(dimensions);
  if (!cache) {
    cache = new Map();
    wordFeatureCache.set(dimensions, cache);
  }
  let features = cache.get(word);
  if (!features) {
    const random = seededRandom(hashString(word));
    const positions = WORD_PREFIXES.map((prefix) => {
      const index = Math.floor(random() * Math.min(prefix, dimensions));
      return random() < 0.5 ? -(index + 1) : index + 1;
    });
    features = Int32Array.from(positions);
    if (cache.size >= WORD_CACHE_LIMIT) cache.clear();
    cache.set(word, features);
  }
  return features;
}

/** Adds one word's signed features into `target` (length = native dimensions). */
export function addWordFeatures(target: Float64Array, word: string, weight = 1): void {
  for (const position of wordFeatures(word, target.length)) {
    const index = Math.abs(position) - 1;
    target[index] = target[index]! + Math.sign(position) * weight;
  }
}

/**
 * Vector of a plain text (no prompt template; the server strips that first). A text without any
 * word (empty, punctuation only) still gets a stable vector, derived from the raw string.
 */
export function vectorForText(text: string, dimensions = 4096): Float32Array {
  const sum = new Float64Array(dimensions);
  const words = contentWords(text);
  if (words.length === 0) addWordFeatures(sum, `\u0000raw:${text}`);
  for (const word of words) addWordFeatures(sum, word);
  return l2Normalize(sum);
}
