import { fileKindOf } from '../walk/fileKind';

/** An image an MDX file shows through JSX: `<img src=...>`, `<Image src={shot}>` and the like. */
export interface JsxImage {
  readonly src: string;
  readonly alt: string;
  /** 0-based line of the tag. */
  readonly line: number;
}

export interface MdxProse {
  /** The source with ESM, JSX tags, expressions and admonition fences blanked; same lines as the file. */
  readonly text: string;
  readonly images: JsxImage[];
}

// Components whose `src` (or ThemedImage's `sources`) is an image: img, Image, ThemedImage, Zoom…Image.
const IMAGE_TAG = /^(?:img|(?:[A-Z][\w.]*)?(?:Image|Img))$/;
const ADMONITION = /^(\s*):::\s*([A-Za-z]+)?\s*(?:\[([^\]]*)\])?\s*(.*)$/;

/**
 * MDX (Docusaurus, Nextra, Astro Starlight) as the prose its readers see, for the markdown
 * parser: `import`/`export` blocks, JSX tags (their children stay, they are prose), `{...}`
 * expressions and `{/* comments *\/}` become blank space, and `:::note Title` admonition fences
 * read "Note: Title". Every line keeps its place, so sections and images keep the file's line
 * numbers. Images shown through JSX are collected, with imported images resolved to their path
 * (`import shot from './shot.png'` then `<img src={shot} />`). Code fences and inline code are left
 * alone.
 */
export function mdxProse(source: string): MdxProse {
  const lines = source.split('\n');
  const out = [...lines];
  const imports = new Map<string, string>();
  const images: JsxImage[] = [];
  let line = frontMatterEnd(lines);
  let fence: string | undefined;
  while (line < lines.length) {
    const text = lines[line]!;
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence !== undefined) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && !text.trim().slice(fenceMark.length).trim()) fence = undefined;
      line++;
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      line++;
      continue;
    }
    if (/^(?:import|export)\b/.test(text)) {
      const end = esmEnd(lines, line);
      collectImports(lines.slice(line, end + 1).join('\n'), imports);
      for (let at = line; at <= end; at++) out[at] = '';
      line = end + 1;
      continue;
    }
    const admonition = ADMONITION.exec(text);
    if (admonition) {
      const [, indent, type, bracketTitle, rest] = admonition;
      const title = (bracketTitle ?? rest ?? '').trim();
      out[line] = type ? `${indent}${type[0]!.toUpperCase()}${type.slice(1).toLowerCase()}:${title ? ` ${title}` : ''}` : '';
      line++;
      continue;
    }
    line = blankJsx(lines, out, line, imports, images);
  }
  return { text: out.join('\n'), images };
}

function frontMatterEnd(lines: readonly string[]): number {
  if (!/^---[ \t]*$/.test(lines[0] ?? '')) return 0;
  const end = lines.findIndex((text, index) => index > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(text));
  return end < 0 ? 0 : end + 1;
}

/** The last line of an ESM block: it runs to a blank line with its brackets closed. */
function esmEnd(lines: readonly string[], start: number): number {
  let depth = 0;
  for (let at = start; at < lines.length; at++) {
    depth += bracketBalance(lines[at]!);
    const next = lines[at + 1];
    if (depth <= 0 && (next === undefined || !next.trim() || /^(?:import|export)\b/.test(next))) return at;
  }
  return lines.length - 1;
}

function bracketBalance(text: string): number {
  let balance = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '/' && text[i + 1] === '/') break;
    else if ('{[('.includes(char)) balance++;
    else if ('}])'.includes(char)) balance--;
  }
  return balance;
}

/** `import shot from './shot.png'` and `import shot, { x } from "..."`: default imports of images. */
function collectImports(esm: string, imports: Map<string, string>): void {
  for (const match of esm.matchAll(/\bimport\s+([A-Za-z_$][\w$]*)\s*(?:,\s*\{[^}]*\})?\s*from\s*(['"])([^'"]+)\2/g)) {
    if (fileKindOf(match[3]!.replace(/[?#].*$/, '')) === 'image') imports.set(match[1]!, match[3]!);
  }
}

/**
 * Blanks the JSX tags and expressions that start on `line` (a tag or expression may run over
 * several lines) and returns the next line to look at.
 */
function blankJsx(lines: readonly string[], out: string[], line: number, imports: ReadonlyMap<string, string>, images: JsxImage[]): number {
  let at = line;
  let column = 0;
  while (column < lines[at]!.length) {
    const text = lines[at]!;
    const char = text[column]!;
    if (char === '`') {
      // Inline code is code, not JSX: skip to its closing run of backticks.
      const run = /^`+/.exec(text.slice(column))![0];
      const close = text.indexOf(run, column + run.length);
      column = close < 0 ? column + run.length : close + run.length;
      continue;
    }
    const next = text[column + 1] ?? '';
    const isTag = char === '<' && (/[A-Za-z>]/.test(next) || (next === '/' && /[A-Za-z>]/.test(text[column + 2] ?? '')));
    const end = isTag || char === '{' ? constructEnd(lines, at, column, isTag ? '>' : '}') : undefined;
    if (!end) {
      column++;
      continue;
    }
    if (isTag) {
      const image = jsxImage(spanText(lines, at, column, end), imports);
      if (image) images.push({ ...image, line: at });
    }
    for (let row = at; row <= end.line; row++) {
      const from = row === at ? column : 0;
      const to = row === end.line ? end.column + 1 : out[row]!.length;
      out[row] = out[row]!.slice(0, from) + ' '.repeat(Math.max(0, to - from)) + out[row]!.slice(to);
    }
    at = end.line;
    column = end.column + 1;
  }
  return at + 1;
}

/** The source text from (line, column) to `end`, inclusive. */
function spanText(lines: readonly string[], line: number, column: number, end: { line: number; column: number }): string {
  if (end.line === line) return lines[line]!.slice(column, end.column + 1);
  return [lines[line]!.slice(column), ...lines.slice(line + 1, end.line), lines[end.line]!.slice(0, end.column + 1)].join('\n');
}

/** Where a tag (`>`) or expression (`}`) that opens at (line, column) closes: braces and quotes nest. */
function constructEnd(lines: readonly string[], line: number, column: number, closer: '>' | '}'): { line: number; column: number } | undefined {
  if (closer === '}' && lines[line]!.startsWith('{/*', column)) {
    // A comment: its words may hold quotes and braces that mean nothing.
    for (let row = line; row < lines.length && row < line + 40; row++) {
      const close = lines[row]!.indexOf('*/}', row === line ? column + 3 : 0);
      if (close >= 0) return { line: row, column: close + 2 };
    }
    return undefined;
  }
  let depth = 0;
  let quote: string | undefined;
  // A tag or expression longer than this many lines is more likely a stray `<` or `{` in prose.
  for (let row = line; row < lines.length && row < line + 40; row++) {
    const text = lines[row]!;
    if (row > line && !text.trim() && closer === '>') return undefined;
    for (let i = row === line ? column : 0; i < text.length; i++) {
      const char = text[i]!;
      if (quote) {
        if (char === quote) quote = undefined;
        continue;
      }
      if ((char === '"' || char === "'") && (closer === '}' || depth > 0 || /=\s*$/.test(text.slice(0, i)))) quote = char;
      else if (char === '{') depth++;
      else if (char === '}') {
        depth--;
        if (closer === '}' && depth === 0) return { line: row, column: i };
      } else if (char === '>' && closer === '>' && depth === 0) return { line: row, column: i };
    }
  }
  return undefined;
}

/** The image a JSX tag shows, if it is an image element with a source Sightline can locate. */
function jsxImage(tag: string, imports: ReadonlyMap<string, string>): Omit<JsxImage, 'line'> | undefined {
  const name = /^<\s*([\w.]+)/.exec(tag)?.[1];
  if (!name || !IMAGE_TAG.test(name)) return undefined;
  const src = attribute(tag, 'src') ?? attribute(tag, 'sources');
  if (!src) return undefined;
  const alt = attribute(tag, 'alt');
  const path = src.kind === 'string' ? src.value : pathInExpression(src.value, imports);
  return path ? { src: path, alt: alt?.kind === 'string' ? alt.value : '' } : undefined;
}

function attribute(tag: string, name: string): { kind: 'string' | 'expression'; value: string } | undefined {
  const start = new RegExp(`\\s${name}\\s*=\\s*`).exec(tag);
  if (!start) return undefined;
  const rest = tag.slice(start.index + start[0].length);
  const quoted = /^(["'])([^]*?)\1/.exec(rest);
  if (quoted) return { kind: 'string', value: quoted[2]! };
  if (!rest.startsWith('{')) return undefined;
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '{') depth++;
    else if (rest[i] === '}' && --depth === 0) return { kind: 'expression', value: rest.slice(1, i).trim() };
  }
  return undefined;
}

/** `shot` (an imported image), `require('./x.png').default`, `useBaseUrl('/img/x.png')`, `{light: ...}`. */
function pathInExpression(expression: string, imports: ReadonlyMap<string, string>): string | undefined {
  const identifier = /^([A-Za-z_$][\w$]*)(?:\.src)?$/.exec(expression)?.[1];
  if (identifier) return imports.get(identifier);
  const literal = /(?:require|useBaseUrl|withBase)\s*\(\s*(['"])([^'"]+)\1/.exec(expression) ?? /^(['"`])([^'"`]+)\1$/.exec(expression);
  if (literal) return literal[2];
  const light = /\blight\s*:\s*([^,}]+)/.exec(expression)?.[1]?.trim();
  return light && light !== expression ? pathInExpression(light, imports) : undefined;
}
