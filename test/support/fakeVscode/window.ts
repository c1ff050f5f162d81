import { CancellationTokenSource, Disposable } from './events';
import { FakeLogOutputChannel, FakeStatusBarItem } from './outputs';
import { FakeQuickPick } from './quickPick';
import type { NotebookRange, Range } from './types';
import type { Uri } from './uri';
import { FakeWebviewPanel } from './webviewPanel';

export interface ShownMessage {
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly options?: { modal?: boolean; detail?: string };
  readonly items: readonly unknown[];
}

/** What the window showed, and how the "user" answers; reset before each test. */
export class WindowRecord {
  messages: ShownMessage[] = [];
  /** Picks the answer to a message; the default dismisses it. */
  answerMessage: (message: ShownMessage) => unknown = () => undefined;
  inputBoxes: unknown[] = [];
  answerInputBox: (options: unknown) => string | undefined = () => undefined;
  quickPicks: Array<{ items: readonly unknown[]; options: unknown }> = [];
  answerQuickPick: (items: readonly unknown[], options: unknown) => unknown = () => undefined;
  openDialogAnswer: Uri[] | undefined;
  progress: Array<{ options: { location: unknown; title?: string; cancellable?: boolean }; reports: unknown[]; source: CancellationTokenSource }> = [];
  statusBarItems: FakeStatusBarItem[] = [];
  statusBarMessages: string[] = [];
  outputChannels: FakeLogOutputChannel[] = [];
  panels: FakeWebviewPanel[] = [];
  createdQuickPicks: FakeQuickPick[] = [];
  serializers = new Map<string, unknown>();
  customEditors = new Map<string, { provider: unknown; options: unknown }>();
  documents: Array<{
    uri: Uri;
    options: { selection?: Range; preview?: boolean; viewColumn?: number } | undefined;
    revealed: Array<{ range: Range; type: unknown }>;
  }> = [];
  notebooks: Array<{
    uri: Uri;
    options: { selections?: readonly NotebookRange[]; preview?: boolean; viewColumn?: number } | undefined;
    revealed: Array<{ range: NotebookRange; type: unknown }>;
  }> = [];
  activeTabInput: unknown;
}

export const windowRecord = new WindowRecord();

function show(level: ShownMessage['level']) {
  return async (message: string, ...rest: unknown[]): Promise<unknown> => {
    const hasOptions = rest.length > 0 && typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0]);
    const shown: ShownMessage = {
      level,
      message,
      ...(hasOptions ? { options: rest[0] as ShownMessage['options'] } : {}),
      items: hasOptions ? rest.slice(1) : rest,
    };
    windowRecord.messages.push(shown);
    return windowRecord.answerMessage(shown);
  };
}

export const window = {
  showInformationMessage: show('info'),
  showWarningMessage: show('warning'),
  showErrorMessage: show('error'),
  async showInputBox(options: unknown): Promise<string | undefined> {
    windowRecord.inputBoxes.push(options);
    return windowRecord.answerInputBox(options);
  },
  async showQuickPick(items: readonly unknown[] | Promise<readonly unknown[]>, options: unknown): Promise<unknown> {
    const list = await items;
    windowRecord.quickPicks.push({ items: list, options });
    return windowRecord.answerQuickPick(list, options);
  },
  async showOpenDialog(): Promise<Uri[] | undefined> {
    return windowRecord.openDialogAnswer;
  },
  async withProgress<R>(
    options: WindowRecord['progress'][number]['options'],
    task: (progress: { report(value: unknown): void }, token: CancellationTokenSource['token']) => Promise<R>,
  ): Promise<R> {
    const entry = { options, reports: [] as unknown[], source: new CancellationTokenSource() };
    windowRecord.progress.push(entry);
    return task({ report: (value) => entry.reports.push(value) }, entry.source.token);
  },
  createStatusBarItem(idOrAlignment?: string | number, alignmentOrPriority?: number, priority?: number): FakeStatusBarItem {
    const item =
      typeof idOrAlignment === 'string'
        ? new FakeStatusBarItem(idOrAlignment, alignmentOrPriority, priority)
        : new FakeStatusBarItem(undefined, idOrAlignment, alignmentOrPriority);
    windowRecord.statusBarItems.push(item);
    return item;
  },
  setStatusBarMessage(text: string): Disposable {
    windowRecord.statusBarMessages.push(text);
    return new Disposable(() => undefined);
  },
  createOutputChannel(name: string): FakeLogOutputChannel {
    const channel = new FakeLogOutputChannel(name);
    windowRecord.outputChannels.push(channel);
    return channel;
  },
  createWebviewPanel(viewType: string, title: string, column: unknown, options?: Record<string, unknown>): FakeWebviewPanel {
    const panel = new FakeWebviewPanel(viewType, title, column, options);
    windowRecord.panels.push(panel);
    return panel;
  },
  createQuickPick(): FakeQuickPick {
    const pick = new FakeQuickPick();
    windowRecord.createdQuickPicks.push(pick);
    return pick;
  },
  registerCustomEditorProvider(viewType: string, provider: unknown, options?: unknown): Disposable {
    windowRecord.customEditors.set(viewType, { provider, options });
    return new Disposable(() => windowRecord.customEditors.delete(viewType));
  },
  registerWebviewPanelSerializer(viewType: string, serializer: unknown): Disposable {
    windowRecord.serializers.set(viewType, serializer);
    return new Disposable(() => windowRecord.serializers.delete(viewType));
  },
  async showNotebookDocument(notebook: { uri: Uri }, options?: { selections?: readonly NotebookRange[]; preview?: boolean; viewColumn?: number }) {
    const entry = { uri: notebook.uri, options, revealed: [] as Array<{ range: NotebookRange; type: unknown }> };
    windowRecord.notebooks.push(entry);
    return { revealRange: (range: NotebookRange, type: unknown) => entry.revealed.push({ range, type }) };
  },
  async showTextDocument(uri: Uri, options?: { selection?: Range; preview?: boolean; viewColumn?: number }) {
    const entry = { uri, options, revealed: [] as Array<{ range: Range; type: unknown }> };
    windowRecord.documents.push(entry);
    return { revealRange: (range: Range, type: unknown) => entry.revealed.push({ range, type }) };
  },
  tabGroups: {
    get activeTabGroup() {
      return { activeTab: windowRecord.activeTabInput === undefined ? undefined : { input: windowRecord.activeTabInput } };
    },
  },
};
