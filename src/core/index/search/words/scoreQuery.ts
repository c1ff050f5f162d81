import { lexicalTokens } from '../lexicalTokens';
import { bm25, fuzzyDistance, fuzzyWeight, matchesByPrefix, prefixWeight } from './bm25';
import { boundedEditDistance } from './editDistance';
import type { MemoryWords } from './memoryWords';
import { FIELD_BOOSTS, FIELD_COUNT } from './wordDocuments';
import type { WordSegment } from './wordSegment';

/**
 * The documents a query scores: the word segment's (numbered from 0) followed by those added
 * in memory since (numbered from `base.documents`), minus the dead ones (replaced or deleted).
 */
export interface WordView {
  readonly base: WordSegment | undefined;
  readonly overlay: MemoryWords;
  readonly baseDocuments: number;
  readonly dead: Uint8Array;
  readonly liveDocuments: number;
  readonly lengthSums: readonly number[];
  /** fileKey and item of a document, for the order of equal scores. */
  identify(document: number): [string, number];
}

export interface ScoredDocument {
  readonly document: number;
  readonly score: number;
  readonly matchedTerms: string[];
}

/**
 * BM25 over the three fields with prefix and fuzzy expansion of each query word, combined
 * with OR and multiplied by the number of query words a document matched (MiniSearch's
 * scheme); best first, equal scores in file and item order.
 */
export function scoreQuery(view: WordView, text: string, limit: number): ScoredDocument[] {
  const tokens = lexicalTokens(text);
  const live = view.liveDocuments;
  if (!tokens.length || live === 0 || limit <= 0) return [];
  const distinct = [...new Set(tokens)];
  const maskWords = Math.ceil(distinct.length / 32);
  const total = view.baseDocuments + view.overlay.documents;
  const { scores, masks } = scratchFor(total, maskWords);
  const touched: number[] = [];
  try {
    accumulate(view, tokens, distinct, maskWords, scores, masks, touched);
    return best(view, distinct, maskWords, scores, masks, touched, limit);
  } finally {
    // The scratch is shared by every query: leave it all zeros.
    for (const document of touched) {
      scores[document] = 0;
      for (let w = 0; w < maskWords; w++) masks[document * maskWords + w] = 0;
    }
  }
}

/** Adds every live document's BM25 for each expansion of each query word to `scores`, marking which words it matched. */
function accumulate(
  view: WordView,
  tokens: readonly string[],
  distinct: readonly string[],
  maskWords: number,
  scores: Float64Array,
  masks: Uint32Array,
  touched: number[],
): void {
  const live = view.liveDocuments;
  const averages = view.lengthSums.map((sum) => sum / live);
  const baseLengths = view.base?.docLengths;
  const overlayLengths = view.overlay.docLengths;
  const { baseDocuments, dead } = view;
  // Nothing replaced or deleted since the segment (the usual case): no document to skip.
  const noneDead = live === baseDocuments + view.overlay.documents;

  const add = (document: number, count: number, field: number, matching: number, weight: number, bit: number): void => {
    const length = document < baseDocuments ? baseLengths![document * FIELD_COUNT + field]! : overlayLengths[(document - baseDocuments) * FIELD_COUNT + field]!;
    if (scores[document] === 0) touched.push(document);
    scores[document]! += weight * bm25(count, matching, live, length, averages[field]!);
    masks[document * maskWords + (bit >>> 5)]! |= 1 << (bit & 31);
  };
  const liveIn = (docs: ArrayLike<number> & Iterable<number>, offset: number): number => {
    if (noneDead) return docs.length;
    let matching = 0;
    for (const doc of docs) if (!dead[offset + doc]) matching++;
    return matching;
  };

  for (const token of tokens) {
    const bit = distinct.indexOf(token);
    for (const [term, weight] of expansions(view, token)) {
      const baseTerm = view.base ? view.base.findTerm(term) : -1;
      for (let field = 0; field < FIELD_COUNT; field++) {
        const fromBase = baseTerm >= 0 ? view.base!.postings(baseTerm, field) : undefined;
        const fromOverlay = view.overlay.postings(term, field);
        const matching = (fromBase ? liveIn(fromBase.docs, 0) : 0) + (fromOverlay ? liveIn(fromOverlay.docs, baseDocuments) : 0);
        if (matching === 0) continue;
        const fieldWeight = weight * FIELD_BOOSTS[field]!;
        if (fromBase) {
          const { docs, counts } = fromBase;
          for (let i = 0; i < docs.length; i++) if (noneDead || !dead[docs[i]!]) add(docs[i]!, counts[i]!, field, matching, fieldWeight, bit);
        }
        if (fromOverlay) {
          const { docs, counts } = fromOverlay;
          for (let i = 0; i < docs.length; i++) {
            const document = baseDocuments + docs[i]!;
            if (noneDead || !dead[document]) add(document, counts[i]!, field, matching, fieldWeight, bit);
          }
        }
      }
    }
  }
}

/** The `limit` best of the touched documents: score times words matched, ties in file and item order. */
function best(
  view: WordView,
  distinct: readonly string[],
  maskWords: number,
  scores: Float64Array,
  masks: Uint32Array,
  touched: readonly number[],
  limit: number,
): ScoredDocument[] {
  const finals = new Float64Array(touched.length);
  touched.forEach((document, i) => {
    let matched = 0;
    for (let w = 0; w < maskWords; w++) matched += bitCount(masks[document * maskWords + w]!);
    finals[i] = scores[document]! * matched;
  });
  // The score the limit-th best reaches, then only documents at or above it are ordered.
  const threshold = finals.length > limit ? kthLargest(Float64Array.from(finals), limit) : -Infinity;
  const kept: Array<{ document: number; score: number }> = [];
  touched.forEach((document, i) => {
    if (finals[i]! >= threshold) kept.push({ document, score: finals[i]! });
  });
  const keys = new Map(kept.map((entry) => [entry.document, view.identify(entry.document)]));
  kept.sort((a, b) => b.score - a.score || compareKeys(keys.get(a.document)!, keys.get(b.document)!));
  return kept.slice(0, limit).map(({ document, score }) => ({
    document,
    score,
    matchedTerms: distinct.filter((_, bit) => masks[document * maskWords + (bit >>> 5)]! & (1 << (bit & 31))),
  }));
}

let scratch = { scores: new Float64Array(0), masks: new Uint32Array(0) };

/**
 * Per-document score and matched-words arrays, all zeros, kept between queries: at 100k
 * documents allocating and collecting them for every query cost more than scoring.
 */
function scratchFor(documents: number, maskWords: number): { scores: Float64Array; masks: Uint32Array } {
  if (scratch.scores.length < documents || scratch.masks.length < documents * maskWords) {
    scratch = {
      scores: new Float64Array(Math.max(documents, scratch.scores.length)),
      masks: new Uint32Array(Math.max(documents * maskWords, scratch.masks.length)),
    };
  }
  return scratch;
}

/** The k-th largest value (k >= 1, at most values.length), by quickselect; reorders `values`. */
export function kthLargest(values: Float64Array, k: number): number {
  const target = values.length - k;
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    // Median of three as pivot: sorted or constant input stays linear.
    const middle = (low + high) >>> 1;
    const pivot = medianOfThree(values[low]!, values[middle]!, values[high]!);
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else return values[target]!;
  }
  return values[target]!;
}

function medianOfThree(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

/** The index words a query word stands for, each with its weight (1 for itself). */
function expansions(view: WordView, token: string): Map<string, number> {
  const found = new Map<string, number>([[token, 1]]);
  if (matchesByPrefix(token)) {
    const add = (term: string) => {
      if (term !== token) found.set(term, prefixWeight(term, term.length - token.length));
    };
    if (view.base) {
      const [from, to] = view.base.prefixRange(token);
      for (let i = from; i < to; i++) add(view.base.terms[i]!);
    }
    for (const term of view.overlay.terms) if (term.startsWith(token)) add(term);
  }
  const maxDistance = fuzzyDistance(token);
  if (maxDistance > 0) {
    const scratch = [new Uint16Array(0), new Uint16Array(0)];
    const tokenLetters = letterMask(token);
    const consider = (term: string, letters: number) => {
      // Each of the token's letters (by 5-bit class) the term lacks costs at least one edit.
      if (bitCount(tokenLetters & ~letters) > maxDistance) return;
      if (found.has(term) || term.startsWith(token)) return;
      const distance = boundedEditDistance(token, term, maxDistance, scratch);
      if (distance > 0 && distance !== Infinity) found.set(term, fuzzyWeight(term, distance));
    };
    if (view.base) {
      const buckets = lengthBuckets(view.base.terms);
      for (let length = token.length - maxDistance; length <= token.length + maxDistance; length++) {
        const bucket = buckets.get(length);
        if (bucket) bucket.terms.forEach((term, i) => consider(term, bucket.letters[i]!));
      }
    }
    for (const term of view.overlay.terms) if (Math.abs(term.length - token.length) <= maxDistance) consider(term, letterMask(term));
  }
  return found;
}

interface LengthBucket {
  readonly terms: string[];
  /** letterMask of each term. */
  readonly letters: Uint32Array;
}

const byLength = new WeakMap<readonly string[], Map<number, LengthBucket>>();

/** A word list's words by length, each with its letter mask (built once per word list). */
function lengthBuckets(terms: readonly string[]): Map<number, LengthBucket> {
  let buckets = byLength.get(terms);
  if (buckets) return buckets;
  const grouped = new Map<number, string[]>();
  for (const term of terms) {
    let bucket = grouped.get(term.length);
    if (!bucket) grouped.set(term.length, (bucket = []));
    bucket.push(term);
  }
  buckets = new Map([...grouped].map(([length, words]) => [length, { terms: words, letters: Uint32Array.from(words, letterMask) }]));
  byLength.set(terms, buckets);
  return buckets;
}

/** One bit per character class (UTF-16 code unit mod 32) present in the word. */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

function compareKeys([fileA, itemA]: [string, number], [fileB, itemB]: [string, number]): number {
  return fileA < fileB ? -1 : fileA > fileB ? 1 : itemA - itemB;
}

function bitCount(value: number): number {
  value -= (value >>> 1) & 0x55555555;
  value = (value & 0x33333333) + ((value >>> 2) & 0x33333333);
  return (((value + (value >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
