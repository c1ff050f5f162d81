import { commandRecord } from './commands';
import { EnvironmentRecord, environmentRecord } from './environment';
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
  environment: environmentRecord,
};

export function resetFake(): void {
  Object.assign(windowRecord, new WindowRecord());
  Object.assign(environmentRecord, new EnvironmentRecord());
  workspaceRecord.folders = undefined;
  workspaceRecord.isTrusted = true;
  workspaceRecord.watchers = [];
  workspaceRecord.trashed = [];
  workspaceRecord.settings.reset();
  commandRecord.registered.clear();
  commandRecord.executed = [];
}
