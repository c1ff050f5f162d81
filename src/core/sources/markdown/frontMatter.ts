import { parse } from 'yaml';

/** The front matter fields Sightline uses as context for a document's sections. */
export interface MarkdownFrontMatter {
  readonly title?: string;
  readonly tags?: string[];
  readonly description?: string;
}

export interface FrontMatterBlock {
  readonly frontMatter: MarkdownFrontMatter;
  /** Lines the block takes, delimiters included (0 when there is none). */
  readonly lineCount: number;
}

const OPENING = /^---[ \t]*$/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/;

/**
 * Reads YAML front matter from the first lines of `lines`. A block whose YAML does not parse is
 * still front matter (it is metadata, not prose), it just yields no fields.
 */
export function readFrontMatter(lines: readonly string[]): FrontMatterBlock {
  if (!OPENING.test(lines[0] ?? '')) return { frontMatter: {}, lineCount: 0 };
  const end = lines.findIndex((line, index) => index > 0 && CLOSING.test(line));
  if (end < 0) return { frontMatter: {}, lineCount: 0 };
  let data: unknown;
  try {
    data = parse(lines.slice(1, end).join('\n'));
  } catch {
    data = undefined;
  }
  return { frontMatter: fieldsOf(data), lineCount: end + 1 };
}

function fieldsOf(data: unknown): MarkdownFrontMatter {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return {};
  const record = data as Record<string, unknown>;
  const title = textOf(record.title);
  const description = textOf(record.description);
  const tags = tagsOf(record.tags ?? record.keywords);
  return {
    ...(title !== undefined && { title }),
    ...(tags !== undefined && { tags }),
    ...(description !== undefined && { description }),
  };
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

// Tags come as a YAML list or as one string, comma- or space-separated (`tags: ui, dark mode`).
function tagsOf(value: unknown): string[] | undefined {
  const raw = Array.isArray(value) ? value.map(textOf) : typeof value === 'string' ? value.split(value.includes(',') ? ',' : /\s+/).map(textOf) : [];
  const tags = raw.filter((tag): tag is string => tag !== undefined);
  return tags.length ? tags : undefined;
}
