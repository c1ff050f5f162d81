import type { Token } from 'markdown-it';
import { fileKindOf } from '../walk/fileKind';
import { headingPathAt, type Heading } from './headings';
import { htmlImages } from './htmlImages';
import { plainText } from './inlineText';
import type { ImageReferenceSyntax, MarkdownImageReference } from './markdownTypes';

/**
 * Every image the document shows: `![alt](path)` and reference-style images (markdown-it
 * resolves both to `image` tokens), `<img>` in HTML blocks and inline HTML, and wiki embeds.
 * Lines are 1-based; the heading path is the one in force on that line.
 */
export function collectImageReferences(tokens: readonly Token[], headings: readonly Heading[], beforeFirstHeading: string[]): MarkdownImageReference[] {
  const references: MarkdownImageReference[] = [];
  const add = (target: string, alt: string, line: number, syntax: ImageReferenceSyntax) => {
    if (!target) return;
    const headingPath = headingPathAt(headings, line, beforeFirstHeading);
    references.push({ target, alt, line: line + 1, headingPath, syntax });
  };
  // Table cells carry no line range of their own; the row's range stands in.
  let blockLine = 0;
  for (const token of tokens) {
    if (token.map) blockLine = token.map[0];
    if (token.type === 'html_block') {
      for (const image of htmlImages(token.content)) add(image.src, image.alt, blockLine + image.lineOffset, 'html');
    } else if (token.type === 'inline') {
      inlineImages(token.children ?? [], blockLine, add);
    }
  }
  return references;
}

function inlineImages(
  children: readonly Token[],
  firstLine: number,
  add: (target: string, alt: string, line: number, syntax: ImageReferenceSyntax) => void,
): void {
  let line = firstLine;
  for (const child of children) {
    switch (child.type) {
      case 'image':
        add(String(child.attrGet('src') ?? ''), plainText(child.children), line, 'markdown');
        // Alt text may itself run over lines.
        line += child.children?.filter((c) => c.type === 'softbreak' || c.type === 'hardbreak').length ?? 0;
        break;
      case 'wiki_embed': {
        const { target, label } = child.meta as { target: string; label: string };
        // `![[Some note]]` embeds another note; only embeds of image files are images.
        if (fileKindOf(target.replace(/[#?].*$/, '')) !== 'image') break;
        // In `![[shot.png|300]]`, `|300x200` or `|alt|300` a number is a display size, not alt text.
        const alt = label
          .split('|')
          .map((part) => part.trim())
          .filter((part) => part && !/^\d+(x\d+)?$/.test(part))
          .join(' ');
        add(target, alt, line, 'wiki');
        break;
      }
      case 'html_inline':
        for (const image of htmlImages(child.content)) add(image.src, image.alt, line + image.lineOffset, 'html');
        line += child.content.split('\n').length - 1;
        break;
      case 'softbreak':
      case 'hardbreak':
        line++;
        break;
    }
  }
}
