/**
 * The fake `vscode` module that vitest substitutes for the real one (see vitest.config.mts):
 * only the API the extension's adapters use, backed by in-memory state in `fakeHost.ts`.
 */
export { commands } from './commands';
export { env, extensions } from './environment';
export { CancellationTokenSource, Disposable, EventEmitter } from './events';
export {
  ConfigurationTarget,
  Position,
  ProgressLocation,
  QuickPickItemKind,
  Range,
  StatusBarAlignment,
  TabInputCustom,
  TabInputText,
  TextEditorRevealType,
  ThemeColor,
  ThemeIcon,
  ViewColumn,
  FileType,
  NotebookEditorRevealType,
  NotebookRange,
} from './types';
export { Uri } from './uri';
export { window } from './window';
export { workspace } from './workspace';
