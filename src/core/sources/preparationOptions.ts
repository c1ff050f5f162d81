/** How files become embeddable items: the same for every run, so keys stay stable. */
export interface PreparationOptions {
  /** Model pixel budget per image (the model's maximum by default). */
  readonly pixelBudget: number;
  readonly maxPdfPages: number;
  /** Markdown chunking. */
  readonly markdownMaxChars: number;
  readonly markdownOverlapChars: number;
  /** Page text beyond this is cut: the model reads about 8k tokens of it at best. */
  readonly maxTextChars: number;
  readonly documentInstruction?: string;
}

export const DEFAULT_PREPARATION: PreparationOptions = {
  pixelBudget: 1_843_200,
  maxPdfPages: 500,
  markdownMaxChars: 2000,
  markdownOverlapChars: 200,
  maxTextChars: 24_000,
};
