import type { EncodingFormat } from './requestParsing';

/** What the server remembers about each request, for tests to assert on what a client sent. */

export interface RecordedImage {
  readonly mimeType: string;
  readonly byteLength: number;
  /** Filled once the image has been decoded. */
  width?: number;
  height?: number;
}

export interface RecordedInput {
  readonly kind: 'text' | 'messages';
  /** The text that was embedded (prompt template removed). */
  readonly text: string;
  /** Whether an `input` string carried the official prompt template. Always false for messages. */
  readonly templated: boolean;
  readonly instruction?: string;
  readonly images: readonly RecordedImage[];
  /** Filled once counted; absent when the request failed before that. */
  tokens?: number;
}

export interface RecordedEmbeddingCall {
  readonly model: string;
  readonly form: 'input' | 'messages';
  readonly encodingFormat: EncodingFormat;
  readonly dimensions?: number;
  readonly extraFields: readonly string[];
  readonly inputs: readonly RecordedInput[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body; undefined when there was none or it was not JSON (see bodyText). */
  body?: unknown;
  bodyText?: string;
  /** Date.now() when the request arrived. */
  readonly receivedAt: number;
  /** The validated view of an embeddings request, once it passed validation. */
  embedding?: RecordedEmbeddingCall;
  /** The status sent, or undefined for a dropped or hanging request. */
  status?: number;
}

/** Keeps the most recent `capacity` requests, so long benchmarks do not hold every image. */
export class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly capacity: number) {}

  add(request: RecordedRequest): void {
    if (this.capacity <= 0) return;
    this.entries.push(request);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(): readonly RecordedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
