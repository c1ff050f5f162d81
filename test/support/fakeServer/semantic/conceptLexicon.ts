import { BUSINESS_CONCEPTS } from './lexiconBusiness';
import { GENERAL_CONCEPTS } from './lexiconGeneral';
import { INTERFACE_CONCEPTS } from './lexiconInterface';
import { OPERATIONS_CONCEPTS } from './lexiconOperations';
import { foldLatin, foldPlural, normalizeText, semanticWords } from './semanticTokens';

/**
 * The semantic fake model's vocabulary: concepts, each with words and phrases in English,
 * German, French and Japanese. Texts that mention the same concepts get close vectors whatever
 * the words or the language, which is what a multilingual embedding model gives.
 */

export const LANGUAGES = ['en', 'de', 'fr', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One word of a phrase: exact, or matching any word that starts, ends or contains it. */
export interface WordPattern {
  readonly text: string;
  readonly match: 'exact' | 'prefix' | 'suffix' | 'contains';
}

export type Phrase = { readonly kind: 'words'; readonly words: readonly WordPattern[] } | { readonly kind: 'substring'; readonly text: string };

export interface Concept {
  readonly id: string;
  /** Concepts of one domain share part of their direction (loosely related meanings). */
  readonly domain: string;
  readonly phrases: Readonly<Record<Language, readonly string[]>>;
  readonly patterns: readonly Phrase[];
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LINE = /^([\w-]+) @([\w-]+) = (.*)$/;

function parsePattern(token: string): WordPattern | undefined {
  const starts = token.startsWith('*');
  const ends = token.endsWith('*');
  const core = token.replace(/^\*|\*$/g, '');
  const match = starts && ends ? 'contains' : starts ? 'suffix' : ends ? 'prefix' : 'exact';
  // Words are plural-folded before matching ("français" -> "francai"), so stems are too.
  const text = match === 'exact' ? semanticWords(core).join('') : foldPlural(foldLatin(normalizeText(core)).replace(/[^\p{L}\p{N}]/gu, ''));
  return text ? { text, match } : undefined;
}

export function parsePhrase(phrase: string): Phrase | undefined {
  if (CJK.test(phrase)) return { kind: 'substring', text: normalizeText(phrase) };
  const words = phrase
    .split(/[\s'/-]+/)
    .flatMap((token) => (token.includes('*') ? [token] : semanticWords(token)))
    .map(parsePattern)
    .filter((pattern): pattern is WordPattern => pattern !== undefined);
  return words.length ? { kind: 'words', words } : undefined;
}

export function parseLexicon(source: string): Concept[] {
  const concepts: Concept[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const parsed = LINE.exec(line);
    if (!parsed) throw new Error(`bad lexicon line: ${line}`);
    const columns = parsed[3]!.split(';').map((column) =>
      column
        .split(',')
        .map((phrase) => phrase.trim())
        .filter(Boolean),
    );
    if (columns.length !== LANGUAGES.length || columns.some((column) => column.length === 0)) {
      throw new Error(`lexicon line ${parsed[1]} needs phrases in ${LANGUAGES.join(', ')}`);
    }
    const phrases = Object.fromEntries(LANGUAGES.map((language, i) => [language, columns[i]!])) as Record<Language, string[]>;
    const patterns = columns
      .flat()
      .map(parsePhrase)
      .filter((phrase): phrase is Phrase => phrase !== undefined);
    concepts.push({ id: parsed[1]!, domain: parsed[2]!, phrases, patterns });
  }
  return concepts;
}

let lexicon: readonly Concept[] | undefined;

export function conceptLexicon(): readonly Concept[] {
  lexicon ??= parseLexicon([INTERFACE_CONCEPTS, OPERATIONS_CONCEPTS, BUSINESS_CONCEPTS, GENERAL_CONCEPTS].join('\n'));
  return lexicon;
}
