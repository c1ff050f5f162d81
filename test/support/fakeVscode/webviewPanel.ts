import { EventEmitter } from './events';
import { Uri } from './uri';

const RESOURCE_AUTHORITY = 'file+.vscode-resource.vscode-cdn.net';

/**
 * A webview that records its html and what the host posts, and lets a test send messages in.
 * `loaded` says whether a page is there to receive: posts to a hidden panel's discarded page
 * are dropped (and answered false), as VS Code drops them.
 */
export class FakeWebview {
  html = '';
  options: Record<string, unknown>;
  loaded = true;
  readonly cspSource = `https://*.vscode-cdn.net`;
  readonly posted: unknown[] = [];
  readonly dropped: unknown[] = [];
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
    if (!this.loaded) {
      this.dropped.push(structuredClone(message));
      return false;
    }
    this.posted.push(structuredClone(message));
    return true;
  }

  /** Delivers a message from the panel's page and waits until the host has handled it. */
  send(message: unknown): Promise<void> {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready') this.loaded = true;
    return this.incoming.fireAsync(message);
  }
}

/**
 * A webview panel with VS Code's visibility: `hide()` is another tab coming to the front (the
 * page is discarded when retainContextWhenHidden is off, so posted messages go nowhere until it
 * loads again), `reveal()` brings it back.
 */
export class FakeWebviewPanel {
  readonly webview: FakeWebview;
  iconPath: unknown;
  revealCount = 0;
  disposed = false;
  visible = true;
  active = true;
  private readonly disposeEmitter = new EventEmitter<void>();
  private readonly viewStateEmitter = new EventEmitter<{ webviewPanel: FakeWebviewPanel }>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = this.viewStateEmitter.event;

  constructor(
    readonly viewType: string,
    public title: string,
    public viewColumn: unknown,
    options: Record<string, unknown> = {},
  ) {
    this.webview = new FakeWebview(options);
  }

  reveal(): void {
    this.revealCount++;
    if (this.disposed || this.visible) return;
    this.visible = this.active = true;
    this.webview.loaded = false;
    this.viewStateEmitter.fire({ webviewPanel: this });
  }

  hide(): void {
    if (!this.visible) return;
    this.visible = this.active = false;
    this.webview.loaded = false;
    this.viewStateEmitter.fire({ webviewPanel: this });
  }

  /** Closing the panel, by the user or the code: onDidDispose fires once. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.visible = this.active = false;
    this.disposeEmitter.fire();
  }
}
