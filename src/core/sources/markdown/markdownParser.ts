import markdownIt, { type MarkdownIt, type StateInline, type Token } from 'markdown-it';

let parser: MarkdownIt | undefined;

/**
 * The block and inline tokens of a markdown source; `map` on block tokens gives 0-based line
 * ranges. Links are kept exactly as written (no percent-encoding, no scheme filtering) because
 * nothing is rendered: targets are resolved by `resolveImageReference`.
 */
export function parseMarkdown(source: string): Token[] {
  parser ??= createParser();
  return parser.parse(source, {});
}

/** HTML entities (and markdown backslash escapes) decoded, for attribute values of raw HTML. */
export function decodeEntities(text: string): string {
  parser ??= createParser();
  return parser.utils.unescapeAll(text);
}

function createParser(): MarkdownIt {
  const md = markdownIt({ html: true, linkify: false });
  md.normalizeLink = (url) => url;
  md.validateLink = () => true;
  md.inline.ruler.before('link', 'wiki_embed', wikiEmbed);
  return md;
}

/**
 * `![[file.png]]` and `![[file.png|alt]]` (Obsidian, Foam and friends) become one
 * `wiki_embed` token whose meta holds the target and the text after `|`.
 */
function wikiEmbed(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== 0x21 /* ! */ || !src.startsWith('[[', pos + 1)) return false;
  const close = src.indexOf(']]', pos + 3);
  if (close < 0) return false;
  const inner = src.slice(pos + 3, close);
  if (!inner.trim() || inner.includes('\n') || inner.includes('[')) return false;
  if (!silent) {
    const bar = inner.indexOf('|');
    const token = state.push('wiki_embed', '', 0);
    token.meta = {
      target: (bar < 0 ? inner : inner.slice(0, bar)).trim(),
      label: bar < 0 ? '' : inner.slice(bar + 1).trim(),
    };
    token.content = src.slice(pos, close + 2);
  }
  state.pos = close + 2;
  return true;
}
