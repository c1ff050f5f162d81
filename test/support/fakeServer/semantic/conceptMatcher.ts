import type { Concept, Phrase, WordPattern } from './conceptLexicon';
import { normalizeText, semanticWords } from './semanticTokens';

/**
 * Finds the concepts a text mentions and how often. Phrases of words match runs of the text's
 * words (only the listed forms and stems: the lexicon spells out inflections); Japanese phrases
 * match as substrings, since Japanese puts no spaces between words.
 */
export class ConceptMatcher {
  /** Word phrases indexed by their first word when it is exact; the rest are tried everywhere. */
  private readonly byFirstWord = new Map<string, Array<{ concept: number; words: readonly WordPattern[] }>>();
  private readonly loose: Array<{ concept: number; words: readonly WordPattern[] }> = [];
  private readonly substrings: Array<{ concept: number; text: string }> = [];

  constructor(readonly concepts: readonly Concept[]) {
    concepts.forEach((concept, index) => {
      for (const phrase of concept.patterns) this.add(index, phrase);
    });
  }

  private add(concept: number, phrase: Phrase): void {
    if (phrase.kind === 'substring') {
      this.substrings.push({ concept, text: phrase.text });
      return;
    }
    const first = phrase.words[0]!;
    if (first.match !== 'exact') {
      this.loose.push({ concept, words: phrase.words });
      return;
    }
    const list = this.byFirstWord.get(first.text) ?? [];
    list.push({ concept, words: phrase.words });
    this.byFirstWord.set(first.text, list);
  }

  /** Concept index -> number of mentions. */
  mentions(text: string): Map<number, number> {
    const counts = new Map<number, number>();
    const words = semanticWords(text);
    for (let i = 0; i < words.length; i++) {
      // One mention per concept at a position, however many of its phrases match there.
      const here = new Set<number>();
      for (const candidate of this.byFirstWord.get(words[i]!) ?? []) if (matchesAt(words, i, candidate.words)) here.add(candidate.concept);
      for (const candidate of this.loose) if (matchesAt(words, i, candidate.words)) here.add(candidate.concept);
      for (const concept of here) counts.set(concept, (counts.get(concept) ?? 0) + 1);
    }
    const normalized = normalizeText(text);
    const found = new Map<number, number>();
    for (const { concept, text: needle } of this.substrings) {
      const occurrences = countOccurrences(normalized, needle);
      if (occurrences > (found.get(concept) ?? 0)) found.set(concept, occurrences);
    }
    for (const [concept, occurrences] of found) counts.set(concept, (counts.get(concept) ?? 0) + occurrences);
    return counts;
  }
}

function matchesAt(words: readonly string[], start: number, pattern: readonly WordPattern[]): boolean {
  if (start + pattern.length > words.length) return false;
  return pattern.every((part, offset) => matchesWord(words[start + offset]!, part));
}

function matchesWord(word: string, pattern: WordPattern): boolean {
  switch (pattern.match) {
    case 'exact':
      return word === pattern.text;
    case 'prefix':
      return word.startsWith(pattern.text);
    case 'suffix':
      return word.endsWith(pattern.text);
    case 'contains':
      return word.includes(pattern.text);
  }
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}
