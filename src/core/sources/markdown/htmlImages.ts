import { decodeEntities } from './markdownParser';

export interface HtmlImage {
  readonly src: string;
  readonly alt: string;
  /** Lines between the start of the HTML and the tag. */
  readonly lineOffset: number;
}

const IMG_TAG = /<img\b[^>]*>/gi;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** The `<img>` tags in a piece of raw HTML that have a `src`, with entities decoded. */
export function htmlImages(html: string): HtmlImage[] {
  const images: HtmlImage[] = [];
  for (const tag of html.matchAll(IMG_TAG)) {
    const attributes = new Map<string, string>();
    for (const attribute of tag[0].slice(4).matchAll(ATTRIBUTE)) {
      const name = attribute[1]!.toLowerCase();
      if (!attributes.has(name)) attributes.set(name, attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
    }
    const src = decodeEntities(attributes.get('src') ?? '').trim();
    if (!src) continue;
    const lineOffset = countNewlines(html, tag.index);
    images.push({ src, alt: decodeEntities(attributes.get('alt') ?? '').trim(), lineOffset });
  }
  return images;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
