import type { FileOutcome, FileStep, FileToProcess } from './fileProcessor';
import { NewestFirst } from './newestFirst';

/** One step of one file: reading a document's text, or preparing pictures. */
export interface QueuedStep {
  readonly file: FileToProcess;
  /** Runs the step; `onSubmitted` frees its preparation slot once its items are handed over. */
  start(onSubmitted: () => void): Promise<FileStep | FileOutcome>;
}

export interface StepQueueHooks {
  /** Whether new steps may start (not once the run is cancelled or has failed). */
  canStart(): boolean;
  /** Starts a step: `release` frees its slot (called by the step, or when it ends). */
  run(step: QueuedStep, release: () => void): void;
  /** Whether the client still has texts waiting for a request. */
  textsWaiting(): boolean;
  /** Whether documents the walk found wait for it to end before they are queued. */
  documentsAwaitingWalk(): boolean;
  /** Says whether more texts may come, so a partial text batch waits for them or goes. */
  textsComing(coming: boolean): void;
}

/**
 * Decides which step is prepared next, at most `slots` at a time. Documents' text goes first,
 * in the order found; then pictures (image files, the images documents show, rendered PDF
 * pages), newest first. Pictures wait for the walk (so the newest really go first) unless
 * there is no text to send meanwhile, as in a folder of images only.
 */
export class StepQueue {
  private readonly texts: QueuedStep[] = [];
  private readonly pictures = new NewestFirst<QueuedStep & { readonly priority: number }>();
  private preparing = 0;
  private readingText = 0;
  private walkOver = false;

  constructor(
    private readonly slots: number,
    private readonly hooks: StepQueueHooks,
  ) {
    hooks.textsComing(true);
  }

  addText(step: QueuedStep): void {
    this.texts.push(step);
    this.pump();
  }

  addPictures(step: QueuedStep, priority: number): void {
    this.pictures.push({ ...step, priority });
    this.pump();
  }

  /** The walk found every file (and every document found is queued). */
  walkEnded(): void {
    if (this.walkOver) return;
    this.walkOver = true;
    this.pump();
  }

  private pump(): void {
    while (this.preparing < this.slots && this.hooks.canStart()) {
      const text = this.texts.shift();
      const step = text ?? this.nextPictures();
      if (!step) break;
      this.preparing++;
      if (text) this.readingText++;
      let released = false;
      this.hooks.run(step, () => {
        if (released) return;
        released = true;
        this.preparing--;
        if (text) this.readingText--;
        this.pump();
      });
    }
    this.hooks.textsComing(!this.walkOver || this.textPending());
  }

  private textPending(): boolean {
    return this.texts.length > 0 || this.readingText > 0 || this.hooks.documentsAwaitingWalk();
  }

  private nextPictures(): QueuedStep | undefined {
    if (!this.walkOver && (this.textPending() || this.hooks.textsWaiting())) return undefined;
    return this.pictures.pop();
  }
}
