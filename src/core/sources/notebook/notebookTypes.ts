/** An image a notebook carries in its JSON: a cell's output, or an attachment of a markdown cell. */
export interface NotebookImage {
  readonly mimeType: 'image/png' | 'image/jpeg' | 'image/svg+xml';
  /** Base64 for PNG and JPEG, the markup itself for SVG, as stored (whitespace removed from base64). */
  readonly data: string;
}

/** One cell of an nbformat 4 notebook, reduced to what is indexed. */
export interface NotebookCell {
  /** 0-based position among all the notebook's cells (as VS Code's notebook editor counts). */
  readonly index: number;
  readonly type: 'markdown' | 'code' | 'raw';
  readonly source: string;
  /** Image outputs of a code cell, in output order (outputs with no image are left out). */
  readonly images: readonly NotebookImage[];
  /** Images attached to a markdown cell (`![](attachment:name.png)`), by name. */
  readonly attachments: ReadonlyMap<string, NotebookImage>;
}

export interface Notebook {
  /** The kernel's language (`python`, `r`, `julia`), for code fences; '' when unknown. */
  readonly language: string;
  readonly cells: readonly NotebookCell[];
}
