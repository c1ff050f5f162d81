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
  /** Plots and attachments embedded per notebook; more are reported, not indexed. */
  readonly maxNotebookImages: number;
  /** A notebook's cell text (markdown and code) beyond this is left out and reported. */
  readonly maxNotebookTextChars: number;
}

export const DEFAULT_PREPARATION: PreparationOptions = {
  pixelBudget: 1_843_200,
  maxPdfPages: 500,
  markdownMaxChars: 2000,
  markdownOverlapChars: 200,
  maxTextChars: 24_000,
  maxNotebookImages: 200,
  maxNotebookTextChars: 2_000_000,
};
