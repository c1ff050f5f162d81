/**
 * Words as the semantic fake model reads them, for every language the lexicon covers:
 * NFKC, lower case, Latin diacritics and ß folded ("paramètres" ~ "parametres", "Größe" ~
 * "grosse"), identifiers split into their parts the way a subword tokenizer sees them
 * (`deleteDeployment` -> delete, deployment; `HARBOR_TOKEN` -> harbor, token), and a plural
 * "s" folded on longer words. CJK text is matched by substring, so it is kept as a string.
 */

const WORD_RUN = /[\p{L}\p{M}\p{N}]+/gu;
const LATIN = /\p{Script=Latin}/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]/u;
const IDENTIFIER_PARTS = /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;

export const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'do',
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
  'that',
  'the',
  'this',
  'to',
  'was',
  'what',
  'where',
  'which',
  'with',
  'you',
  'your',
  'can',
  'does',
  'we',
  'our',
  'der',
  'die',
  'das',
  'und',
  'ist',
  'ein',
  'eine',
  'wie',
  'wo',
  'ich',
  'mit',
  'von',
  'zu',
  'den',
  'dem',
  'im',
  'auf',
  'fur',
  'le',
  'la',
  'les',
  'un',
  'une',
  'des',
  'du',
  'de',
  'et',
  'est',
  'ou',
  'comment',
  'je',
  'dans',
  'pour',
  'sur',
  'avec',
  'l',
  'd',
  's',
]);

export function foldLatin(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss');
}

export function foldPlural(word: string): string {
  return word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** The text NFKC-normalised and lower-cased: what CJK phrases are searched in. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Latin (and other spaced-script) words in order, identifiers split, folded; CJK runs left out. */
export function semanticWords(text: string): string[] {
  const words: string[] = [];
  for (const [run] of text.normalize('NFKC').matchAll(WORD_RUN)) {
    if (CJK.test(run)) continue;
    for (const part of run.split(IDENTIFIER_PARTS)) {
      const lower = part.toLowerCase();
      words.push(foldPlural(LATIN.test(lower) ? foldLatin(lower) : lower));
    }
  }
  return words;
}

/** CJK characters of the text, one per word: the residual's view of Japanese and Chinese. */
export function cjkCharacters(text: string): string[] {
  return [...normalizeText(text)].filter((character) => CJK.test(character) && character !== '\u30fc');
}
