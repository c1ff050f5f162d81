// A fixed-capacity min-heap keeping the best-scoring candidates of a scan. The scan consults
// `threshold` before anything else, so almost every row costs one comparison.

export class TopCandidates {
  private readonly scores: Float64Array;
  private readonly segments: Int32Array;
  private readonly rows: Int32Array;
  private length = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`bad capacity ${capacity}`);
    this.scores = new Float64Array(capacity);
    this.segments = new Int32Array(capacity);
    this.rows = new Int32Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** Scores at or below this cannot enter; -Infinity until the heap is full. */
  get threshold(): number {
    return this.length < this.capacity ? -Infinity : this.scores[0]!;
  }

  /** Adds a candidate; the caller has checked `score > threshold`. */
  push(score: number, segment: number, row: number): void {
    if (this.length < this.capacity) {
      let i = this.length++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.move(parent, i);
        i = parent;
      }
      this.set(i, score, segment, row);
      return;
    }
    // Replace the minimum and sift down.
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.length) break;
      const right = left + 1;
      const child = right < this.length && this.scores[right]! < this.scores[left]! ? right : left;
      if (this.scores[child]! >= score) break;
      this.move(child, i);
      i = child;
    }
    this.set(i, score, segment, row);
  }

  /** Visits every kept candidate in heap order. */
  forEach(visit: (score: number, segment: number, row: number) => void): void {
    for (let i = 0; i < this.length; i++) visit(this.scores[i]!, this.segments[i]!, this.rows[i]!);
  }

  private move(from: number, to: number): void {
    this.scores[to] = this.scores[from]!;
    this.segments[to] = this.segments[from]!;
    this.rows[to] = this.rows[from]!;
  }

  private set(i: number, score: number, segment: number, row: number): void {
    this.scores[i] = score;
    this.segments[i] = segment;
    this.rows[i] = row;
  }
}
