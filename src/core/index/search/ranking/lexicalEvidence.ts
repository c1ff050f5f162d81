import type { ItemDirectory } from '../itemDirectory';
import type { LexicalHit } from '../lexicalIndex';
import { lexicalTokens } from '../lexicalTokens';

/**
 * How strongly the lexical side vouches for each hit, in 0..1: its BM25 score relative to the
 * query's best, times the cube of the share of the query's words it matched (function words
 * aside), so that a hit on one common word of a long question counts for almost nothing while a
 * hit on every word counts fully. A query that names a file, or an identifier found verbatim, is an exact lookup:
 * those hits get 1.
 */

/** Partial matches fade fast: half the words matched is an eighth of the evidence. */
const COVERAGE_POWER = 3;
const FUNCTION_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'can',
  'do',
  'does',
  'for',
  'from',
  'how',
  'i',
  'in',
  'is',
  'it',
  'my',
  'of',
  'on',
  'or',
  'our',
  'that',
  'the',
  'this',
  'to',
  'was',
  'what',
  'when',
  'where',
  'which',
  'who',
  'with',
  'you',
  'your',
  'der',
  'die',
  'das',
  'den',
  'dem',
  'des',
  'ein',
  'eine',
  'und',
  'oder',
  'ist',
  'im',
  'in',
  'mit',
  'von',
  'zu',
  'wie',
  'was',
  'ich',
  'mein',
  'le',
  'la',
  'les',
  'l',
  'un',
  'une',
  'des',
  'du',
  'de',
  'd',
  'et',
  'ou',
  'est',
  'en',
  'dans',
  'pour',
  'avec',
  'comment',
  'je',
]);
/** No spaces, and a capital inside, an underscore, a dot, a slash, a dash or a digit. */
const IDENTIFIER = /^(?=.{3,}$)(?=\S*(?:[a-z][A-Z]|[_.$/-]|\d))\S+$/;

export function lexicalEvidence(hits: readonly LexicalHit[], queryText: string, directory: ItemDirectory): Map<number, number> {
  const evidence = new Map<number, number>();
  const best = Math.max(0, ...hits.map((hit) => hit.score));
  if (best <= 0) return evidence;
  const tokens = [...new Set(lexicalTokens(queryText))];
  const content = tokens.filter((token) => !FUNCTION_WORDS.has(token));
  const counted = new Set(content.length ? content : tokens);
  const query = queryText.trim();
  const lowerQuery = query.toLowerCase();
  const identifier = IDENTIFIER.test(query);
  for (const hit of hits) {
    const matched = new Set(hit.matchedTerms.filter((term) => counted.has(term))).size;
    let strength = (hit.score / best) * (matched / counted.size) ** COVERAGE_POWER;
    const { file, item } = directory.entries[hit.id]!;
    if (namesFile(file.path, lowerQuery) || (item.target !== undefined && namesFile(item.target, lowerQuery))) strength = 1;
    else if (identifier && ((item.text ?? '').includes(query) || (item.headingPath ?? []).some((heading) => heading.includes(query)))) strength = 1;
    evidence.set(hit.id, strength);
  }
  return evidence;
}

function namesFile(path: string, lowerQuery: string): boolean {
  const lower = path.toLowerCase();
  return lower === lowerQuery || lower.endsWith(`/${lowerQuery}`);
}
