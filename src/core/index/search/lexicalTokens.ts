/**
 * Words for lexical matching. Identifiers are kept whole *and* split (parseConfigFile ->
 * parseconfigfile, parse, config, file) so both an exact identifier and its parts match;
 * CJK text has no spaces, so each ideograph/kana is its own token.
 */
const WORD = /[\p{L}\p{N}_$]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function lexicalTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const [word] of text.matchAll(WORD)) {
    if (CJK.test(word)) {
      for (const char of word) tokens.push(char.toLowerCase());
      continue;
    }
    const lower = word.toLowerCase();
    tokens.push(lower);
    const parts = word
      .split(/_+|\$+/)
      .flatMap((part) => part.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/))
      .filter(Boolean);
    if (parts.length > 1) for (const part of parts) tokens.push(part.toLowerCase());
  }
  return tokens;
}
