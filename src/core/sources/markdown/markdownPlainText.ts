import { plainText } from './inlineText';
import { parseMarkdown } from './markdownParser';

/**
 * Markdown as a reader sees it: the words, no markup. Images read as their alt text, table
 * cells as words (no pipes), wiki links as their label, code as its text. A leading heading is
 * left out: results show a section's heading path beside its snippet, so it would read twice.
 */
export function markdownPlainText(source: string): string {
  const tokens = parseMarkdown(source);
  const parts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (i === 0 && token.type === 'heading_open') {
      i += 2; // heading_open, inline, heading_close
      continue;
    }
    if (token.type === 'inline') parts.push(plainText(token.children, { images: 'alt' }));
    else if (token.type === 'fence' || token.type === 'code_block') parts.push(token.content);
  }
  return withoutWikiLinks(parts.join(' ')).replace(/\s+/g, ' ').trim();
}

/** `[[Note]]` and `[[Note#Heading|label]]` (wiki links, which markdown-it leaves as text) read as their label. */
function withoutWikiLinks(text: string): string {
  return text.replace(/\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]/g, (_all, target: string, label: string | undefined) => (label ?? target).trim());
}
