/**
 * A stored snippet as a reader wants it in a result row: plain text. Snippets come from the
 * index, which older versions filled with raw markdown, and wiki vaults add their own syntax,
 * so the clean-up happens where the snippet is shown: wiki embeds (`![[shot.png|300]]`) go,
 * wiki links (`[[Note#Part|alias]]`) become their text, tables lose their pipes, and a heading
 * the row already names is not repeated at the start of the snippet.
 */
export function readableSnippet(snippet: string, headingPath: readonly string[] = []): string {
  let text = snippet
    .replace(/!\[\[[^\]]*\]\]/g, ' ')
    .replace(/\[\[([^\]|]*)\|([^\]]*)\]\]/g, '$2')
    .replace(/\[\[([^\]]*)\]\]/g, (_match, target: string) => target.replace(/^#/, '').replace(/#\^?/g, ' › '))
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/\[!\w+\][+-]?/g, ' ')
    // A table's delimiter row, then the pipes between cells.
    .replace(/\|?(?:\s*:?-{3,}:?\s*\|)+(?:\s*:?-{3,}:?\s*)?/g, ' ')
    .replace(/\s*(?:\|\s*)+/g, ' · ')
    .replace(/(^|\s)#{1,6}(?=\s)/g, '$1')
    .replace(/(^|\s)>+(?=\s)/g, '$1')
    .replace(/(\*\*|__|==|~~|`)/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^(?:\s*·\s*)+|(?:\s*·\s*)+$/g, '')
    .trim();
  const heading = headingPath.at(-1)?.trim();
  if (heading && text.toLowerCase().startsWith(heading.toLowerCase())) {
    const rest = text.slice(heading.length);
    // Only a whole heading: "Login" must not eat the start of "Logins are kept".
    if (!rest || /^[\s:.,;·–-]/.test(rest)) text = rest.replace(/^[\s:.,;·–-]+/, '');
  }
  return text;
}
