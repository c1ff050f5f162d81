/**
 * The full vectors of a fixed list of rows, read once and kept in memory so that they can be
 * scored query after query without reading them again (VectorSearcher.holdRows): for the few
 * hundred rows every query scores, such as the background sample ranking calibrates against.
 */
export class HeldRows {
  constructor(
    /** The searcher that read them; only it can score them. */
    readonly owner: object,
    /** The rows asked for, in order. */
    readonly rows: readonly number[],
    /** For each held vector, its index in `rows` (rows unknown or deleted when held are left out). */
    readonly positions: readonly number[],
    /** positions.length rows of fullDims float16 values. */
    readonly halves: Uint16Array,
  ) {}

  /** Bytes of vectors held. */
  get bytes(): number {
    return this.halves.byteLength;
  }
}
