import type { ItemKind } from '../../sources/itemTypes';
import type { ItemCount } from './workEstimate';

export type { ItemCount };

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
  /**
   * Items of the changed files by kind (markdown sections; images and the images documents
   * show; PDF page texts and pages): done (embedded, reused or refused) of the total expected.
   */
  readonly items: Readonly<Record<ItemKind, ItemCount>>;
  /** Requests that have ended (a retry is part of its request, not a new one). */
  readonly requestsDone: number;
  /** Requests still needed: one per image or page, one per batch of up to 32 texts. */
  readonly requestsLeft: number;
  /** Requests per second: measured over the last seconds, or the pacer's rate until then. */
  readonly requestsPerSecond: number;
  /** Share of the run done, 0 to 1: requests done of all it needs (files, when it needs none). */
  readonly fraction: number;
  /** True while the totals include guesses: the walk goes on, or files are not read yet. */
  readonly estimated: boolean;
  /** Seconds left: the requests still needed at the rate measured (none while none are needed). */
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

/** Requests per second over the last `windowMs`, from a running count sampled now and then. */
export class RecentRate {
  private readonly samples: Array<{ readonly at: number; readonly count: number }> = [];

  constructor(
    private readonly windowMs = 10_000,
    /** Less than this much history says too little (a burst at the start). */
    private readonly minimumMs = 3000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records the count; the rate over the window, or undefined while it is too short. */
  sample(count: number): number | undefined {
    const now = this.now();
    this.samples.push({ at: now, count });
    while (this.samples.length > 2 && now - this.samples[1]!.at >= this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    if (now - first.at < this.minimumMs) return undefined;
    return (count - first.count) / ((now - first.at) / 1000);
  }
}
