// The ranges a setting may take, shared by the CLI's flags (which refuse a value outside
// them) and the extension's settings (which a workspace can set, so they are clamped at run
// time whatever package.json's schema says: VS Code does not enforce it).

export interface SettingRange {
  readonly min: number;
  readonly max: number;
}

/** Matryoshka cut: below 32 dimensions a vector no longer tells things apart. */
export const DIMENSIONS_RANGE: SettingRange = { min: 32, max: 4096 };
/** The model's own limits on one image (Qwen3-VL: 4,096 to 1,843,200 pixels). */
export const PIXEL_BUDGET_RANGE: SettingRange = { min: 4096, max: 1_843_200 };
export const PDF_PAGES_RANGE: SettingRange = { min: 1, max: 10_000 };
/** Results per search: enough for any list a person reads, and bounded memory. */
export const TOP_RANGE: SettingRange = { min: 1, max: 1000 };
/** The largest shared cache accepted, in MiB: 1 GiB holds about 130,000 full-size (4096) vectors. */
export const CACHE_MEGABYTES_RANGE: SettingRange = { min: 1, max: 65_536 };

/** A whole number inside the range, or the fallback for anything else (a string, NaN). */
export function clampToRange(value: unknown, range: SettingRange, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(range.max, Math.max(range.min, Math.round(value)));
}

/** Why `url` cannot be an embeddings endpoint, or undefined when it can. */
export function endpointProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `uses ${parsed.protocol.replace(/:$/, '')}, not http or https`;
  return undefined;
}
