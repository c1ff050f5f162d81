import { EventEmitter } from './events';
import { Uri } from './uri';

const RESOURCE_AUTHORITY = 'file+.vscode-resource.vscode-cdn.net';

/** A webview that records its html and what the host posts, and lets a test send messages in. */
export class FakeWebview {
  html = '';
  options: Record<string, unknown>;
  readonly cspSource = `https://*.vscode-cdn.net`;
  readonly posted: unknown[] = [];
  private readonly incoming = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.incoming.event;

  constructor(options: Record<string, unknown> = {}) {
    this.options = options;
  }

  asWebviewUri(uri: Uri): Uri {
    return Uri.from({ scheme: 'https', authority: RESOURCE_AUTHORITY, path: uri.path });
  }

  async postMessage(message: unknown): Promise<boolean> {
    // Structured clone, as the real channel does: later changes by the host do not show here.
    this.posted.push(structuredClone(message));
    return true;
  }

  /** Delivers a message from the panel's page and waits until the host has handled it. */
  send(message: unknown): Promise<void> {
    return this.incoming.fireAsync(message);
  }
}

export class FakeWebviewPanel {
  readonly webview: FakeWebview;
  iconPath: unknown;
  revealCount = 0;
  disposed = false;
  private readonly disposeEmitter = new EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = new EventEmitter<unknown>().event;

  constructor(
    readonly viewType: string,
    public title: string,
    readonly viewColumn: unknown,
    options: Record<string, unknown> = {},
  ) {
    this.webview = new FakeWebview(options);
  }

  get visible(): boolean {
    return !this.disposed;
  }

  reveal(): void {
    this.revealCount++;
  }

  /** Closing the panel, by the user or the code: onDidDispose fires once. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}
