/** One line of at most `max` characters: whitespace folded, an ellipsis where it was cut. */
export function snippetOf(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
