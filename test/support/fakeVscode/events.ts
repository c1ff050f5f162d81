/**
 * Disposable, EventEmitter and cancellation as VS Code shapes them. `fireAsync` is the one
 * addition: it waits for the listeners' promises, so a test can await a handler's whole
 * reaction to an event (a webview message, a file event) instead of polling for it.
 */
export class Disposable {
  private disposed = false;

  constructor(private readonly callOnDispose: () => unknown) {}

  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => {
      for (const item of items) item.dispose();
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.callOnDispose();
  }
}

export type Listener<T> = (value: T) => unknown;
export type Event<T> = (listener: Listener<T>, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound: Listener<T> = thisArgs === undefined ? listener : listener.bind(thisArgs);
    this.listeners.push(bound);
    const subscription = new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== bound);
    });
    disposables?.push(subscription);
    return subscription;
  };

  get listenerCount(): number {
    return this.listeners.length;
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  async fireAsync(value: T): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener(value)));
  }

  dispose(): void {
    this.listeners = [];
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = {
    isCancellationRequested: false,
    // Like VS Code: a listener added after cancellation is still called, on a later tick.
    onCancellationRequested: ((listener, thisArgs, disposables) => {
      if (!this.token.isCancellationRequested) return this.emitter.event(listener, thisArgs, disposables);
      const timer = setTimeout(() => listener.call(thisArgs, undefined));
      return new Disposable(() => clearTimeout(timer));
    }) as Event<void>,
  };

  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
