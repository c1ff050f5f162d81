/** One piece of a highlighted text: `mark` when it is one of the query's words. */
export interface TextPart {
  readonly text: string;
  readonly mark: boolean;
}

/** The words worth marking in a query: two characters or more, longest first so "log" does not cut "login". */
export function queryWords(query: string): string[] {
  const words = query.normalize('NFKC').match(/[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu) ?? [];
  return [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length >= 2))].sort((a, b) => b.length - a.length);
}

/**
 * Splits `text` where query words start a word (case-insensitive, so "Login" marks "logins"'s
 * start), for rendering marks with textContent only: nothing here is ever parsed as HTML.
 */
export function highlightParts(text: string, words: readonly string[]): TextPart[] {
  if (!words.length || !text) return text ? [{ text, mark: false }] : [];
  const pattern = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${words.map(escapeRegExp).join('|')})`, 'giu');
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index), mark: false });
    parts.push({ text: match[0], mark: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return parts;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
