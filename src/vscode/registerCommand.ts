import * as vscode from 'vscode';

/**
 * Registers a command whose handler's result never leaves the extension host. VS Code
 * serialises a command's return value for whoever ran it, the command palette included: a
 * handler that once returned the search panel object made the host serialise hundreds of
 * megabytes and froze the editor. Failures become one notification instead of VS Code's
 * "Running the contributed command failed".
 */
export function registerCommand(log: vscode.LogOutputChannel, id: string, run: (...args: never[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: never[]): Promise<void> => {
    try {
      await run(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`${id}: ${message}`);
      void vscode.window.showErrorMessage(`Sightline: ${message}`);
    }
  });
}
