import { EventEmitter } from './events';

/** A LogOutputChannel that keeps every line with its level. */
export class FakeLogOutputChannel {
  readonly lines: Array<{ level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'append'; message: string }> = [];
  shown = 0;
  readonly logLevel = 2;
  readonly onDidChangeLogLevel = new EventEmitter<number>().event;

  constructor(readonly name: string) {}

  trace(message: string): void {
    this.lines.push({ level: 'trace', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string | Error): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  append(value: string): void {
    this.lines.push({ level: 'append', message: value });
  }
  appendLine(value: string): void {
    this.lines.push({ level: 'append', message: value });
  }
  replace(): void {}
  clear(): void {}
  show(): void {
    this.shown++;
  }
  hide(): void {}
  dispose(): void {}

  /** Everything logged, one line per entry, for assertions on what never appears. */
  get text(): string {
    return this.lines.map((line) => `${line.level}: ${line.message}`).join('\n');
  }
}

export class FakeStatusBarItem {
  name: string | undefined;
  text = '';
  tooltip: unknown;
  command: unknown;
  backgroundColor: unknown;
  visible = false;
  /** How often show() was called: each call is one render of the item. */
  showCount = 0;
  disposed = false;

  constructor(
    readonly id: string | undefined,
    readonly alignment: number | undefined,
    readonly priority: number | undefined,
  ) {}

  show(): void {
    this.visible = true;
    this.showCount++;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
  }
}
