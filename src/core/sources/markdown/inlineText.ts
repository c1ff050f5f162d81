import type { Token } from 'markdown-it';

export interface PlainTextOptions {
  /**
   * 'skip' (the default) leaves images out: in a heading (badges, icons) their alt text is not
   * what the heading is called. 'alt' reads them as their alt text, as a snippet should.
   */
  readonly images?: 'skip' | 'alt';
}

/**
 * The words of inline tokens without their markup: what a heading, an image's alt text or a
 * paragraph says, for heading paths, references and snippets.
 */
export function plainText(children: readonly Token[] | null, options: PlainTextOptions = {}): string {
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
      case 'image':
        if (options.images === 'alt') text += plainText(token.children, options);
        break;
      case 'wiki_embed': {
        const meta = token.meta as { target: string; label: string };
        // A size (`|300`, `|300x200`) is not a caption.
        const label = /^\d+(x\d+)?$/.test(meta.label) ? '' : meta.label;
        text += options.images === 'alt' ? label : label || meta.target;
        break;
      }
    }
  }
  return text.replace(/\s+/g, ' ').trim();
}
