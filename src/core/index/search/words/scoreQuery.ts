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
  const scores = new Float64Array(total);
  const masks = new Uint32Array(total * maskWords);
  const touched: number[] = [];
  const averages = view.lengthSums.map((sum) => sum / live);
  const baseLengths = view.base?.docLengths;
  const overlayLengths = view.overlay.docLengths;
  const { baseDocuments, dead } = view;

  const add = (document: number, count: number, field: number, matching: number, weight: number, bit: number): void => {
    const length = document < baseDocuments ? baseLengths![document * FIELD_COUNT + field]! : overlayLengths[(document - baseDocuments) * FIELD_COUNT + field]!;
    if (scores[document] === 0) touched.push(document);
    scores[document]! += weight * bm25(count, matching, live, length, averages[field]!);
    masks[document * maskWords + (bit >>> 5)]! |= 1 << (bit & 31);
  };

  for (const token of tokens) {
    const bit = distinct.indexOf(token);
    for (const [term, weight] of expansions(view, token)) {
      const baseTerm = view.base ? view.base.findTerm(term) : -1;
      for (let field = 0; field < FIELD_COUNT; field++) {
        const fromBase = baseTerm >= 0 ? view.base!.postings(baseTerm, field) : undefined;
        const fromOverlay = view.overlay.postings(term, field);
        let matching = 0;
        if (fromBase) for (const doc of fromBase.docs) if (!dead[doc]) matching++;
        if (fromOverlay) for (const doc of fromOverlay.docs) if (!dead[baseDocuments + doc]) matching++;
        if (matching === 0) continue;
        const fieldWeight = weight * FIELD_BOOSTS[field]!;
        if (fromBase) {
          const { docs, counts } = fromBase;
          for (let i = 0; i < docs.length; i++) if (!dead[docs[i]!]) add(docs[i]!, counts[i]!, field, matching, fieldWeight, bit);
        }
        if (fromOverlay) {
          const { docs, counts } = fromOverlay;
          for (let i = 0; i < docs.length; i++) {
            const document = baseDocuments + docs[i]!;
            if (!dead[document]) add(document, counts[i]!, field, matching, fieldWeight, bit);
          }
        }
      }
    }
  }

  const finals = new Float64Array(touched.length);
  touched.forEach((document, i) => {
    let matched = 0;
    for (let w = 0; w < maskWords; w++) matched += bitCount(masks[document * maskWords + w]!);
    finals[i] = scores[document]! * matched;
  });
  // The score the limit-th best reaches, then only documents at or above it are ordered.
  const threshold = finals.length > limit ? Float64Array.from(finals).sort()[finals.length - limit]! : -Infinity;
  const kept = touched.map((document, i) => ({ document, score: finals[i]! })).filter((entry) => entry.score >= threshold);
  const keys = new Map(kept.map((entry) => [entry.document, view.identify(entry.document)]));
  kept.sort((a, b) => b.score - a.score || compareKeys(keys.get(a.document)!, keys.get(b.document)!));
  return kept.slice(0, limit).map(({ document, score }) => ({
    document,
    score,
    matchedTerms: distinct.filter((_, bit) => masks[document * maskWords + (bit >>> 5)]! & (1 << (bit & 31))),
  }));
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
    const consider = (term: string) => {
      if (found.has(term) || term.startsWith(token)) return;
      const distance = boundedEditDistance(token, term, maxDistance, scratch);
      if (distance > 0 && distance !== Infinity) found.set(term, fuzzyWeight(term, distance));
    };
    if (view.base) for (const term of termsOfLength(view.base.terms, token.length, maxDistance)) consider(term);
    for (const term of view.overlay.terms) if (Math.abs(term.length - token.length) <= maxDistance) consider(term);
  }
  return found;
}

const byLength = new WeakMap<readonly string[], Map<number, string[]>>();

/** Words within `slack` of `length` characters (buckets built once per word list). */
function* termsOfLength(terms: readonly string[], length: number, slack: number): Generator<string> {
  let buckets = byLength.get(terms);
  if (!buckets) {
    buckets = new Map();
    for (const term of terms) {
      let bucket = buckets.get(term.length);
      if (!bucket) buckets.set(term.length, (bucket = []));
      bucket.push(term);
    }
    byLength.set(terms, buckets);
  }
  for (let l = length - slack; l <= length + slack; l++) yield* buckets.get(l) ?? [];
}

function compareKeys([fileA, itemA]: [string, number], [fileB, itemB]: [string, number]): number {
  return fileA < fileB ? -1 : fileA > fileB ? 1 : itemA - itemB;
}

function bitCount(value: number): number {
  value -= (value >>> 1) & 0x55555555;
  value = (value & 0x33333333) + ((value >>> 2) & 0x33333333);
  return (((value + (value >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
