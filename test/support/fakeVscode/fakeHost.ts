import { commandRecord } from './commands';
import { windowRecord, WindowRecord } from './window';
import { workspaceRecord } from './workspace';

/**
 * The test's handle on the fake `vscode` module: what it recorded and how it answers.
 * `resetFake()` puts everything back, so each test starts from an empty window.
 */
export const fake = {
  window: windowRecord,
  workspace: workspaceRecord,
  settings: workspaceRecord.settings,
  commands: commandRecord,
};

export function resetFake(): void {
  Object.assign(windowRecord, new WindowRecord());
  workspaceRecord.folders = undefined;
  workspaceRecord.isTrusted = true;
  workspaceRecord.watchers = [];
  workspaceRecord.settings.reset();
  commandRecord.registered.clear();
  commandRecord.executed = [];
}
