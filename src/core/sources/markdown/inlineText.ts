import type { Token } from 'markdown-it';

/**
 * The words of inline tokens without their markup: what a heading or an image's alt text
 * says, for heading paths and references. Images in a heading (badges, icons) are left out:
 * their alt text is not what the heading is called.
 */
export function plainText(children: readonly Token[] | null): string {
  let text = '';
  for (const token of children ?? []) {
    switch (token.type) {
      case 'text':
      case 'code_inline':
      case 'text_special':
        text += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += ' ';
        break;
      case 'wiki_embed': {
        const meta = token.meta as { target: string; label: string };
        text += meta.label || meta.target;
        break;
      }
    }
  }
  return text.replace(/\s+/g, ' ').trim();
}
