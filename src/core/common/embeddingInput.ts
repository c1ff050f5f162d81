/** An image ready to send: already decoded, resized and re-encoded by the sources layer. */
export interface EmbeddingImage {
  readonly bytes: Uint8Array;
  readonly mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
}

/**
 * One input -> one vector. Text, images or both; the instruction says what the vector is for
 * (documents use the default instruction, queries a retrieval instruction).
 */
export interface EmbeddingInput {
  readonly instruction?: string;
  readonly text?: string;
  readonly images?: readonly EmbeddingImage[];
}

export const DEFAULT_DOCUMENT_INSTRUCTION = "Represent the user's input.";
export const DEFAULT_QUERY_INSTRUCTION = "Retrieve images or text relevant to the user's query.";
