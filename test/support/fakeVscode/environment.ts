/** The installed extensions (`vscode.extensions.all`) and the clipboard, as a test sets them up. */
export class EnvironmentRecord {
  installed: Array<{ id: string; packageJSON: unknown }> = [];
  clipboard = '';
}

export const environmentRecord = new EnvironmentRecord();

export const extensions = {
  get all(): ReadonlyArray<{ id: string; packageJSON: unknown }> {
    return environmentRecord.installed;
  },
};

export const env = {
  clipboard: {
    async readText(): Promise<string> {
      return environmentRecord.clipboard;
    },
    async writeText(text: string): Promise<void> {
      environmentRecord.clipboard = text;
    },
  },
};
