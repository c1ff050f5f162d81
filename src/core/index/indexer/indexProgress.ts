/** A snapshot for progress bars; throttled by the indexer, safe to render directly. */
export interface IndexProgress {
  readonly phase: 'scanning' | 'indexing' | 'finishing';
  readonly filesSeen: number;
  /** Changed or new files found so far; final once `scanDone`. */
  readonly filesToProcess: number;
  readonly filesProcessed: number;
  readonly scanDone: boolean;
  readonly itemsEmbedded: number;
  readonly itemsReused: number;
  readonly itemsFailed: number;
  readonly currentFile?: string;
  /** Files per second over the recent past. */
  readonly filesPerSecond: number;
  /** Seconds left, once the scan is done and a rate is known. */
  readonly etaSeconds?: number;
}

/** Keeps a recent rate (exponentially weighted) so the ETA does not jump with every file. */
export class RateMeter {
  private rate = 0;
  private last: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.last = now();
  }

  tick(count = 1): void {
    const now = this.now();
    const seconds = Math.max((now - this.last) / 1000, 1e-3);
    this.last = now;
    const instant = count / seconds;
    this.rate = this.rate === 0 ? instant : this.rate * 0.9 + instant * 0.1;
  }

  get perSecond(): number {
    return this.rate;
  }
}
