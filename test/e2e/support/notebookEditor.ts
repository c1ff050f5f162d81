import type { Locator } from './playwright';
import type { Workbench } from './workbench';

/** VS Code's notebook editor in the active editor group (1.100's DOM classes). */
export class NotebookEditorView {
  constructor(private readonly workbench: Workbench) {}

  get editor(): Locator {
    // The workbench keeps spare notebook widgets hidden in the DOM; the one shown is the editor.
    return this.workbench.page.locator('.notebook-editor:visible').first();
  }

  /** The active cell, 1-based, and the cell count, from the status bar's "Cell 6 of 10". */
  async activeCell(): Promise<{ cell: number; of: number }> {
    const text = (
      await this.workbench
        .statusBarItem(/^Cell \d+ of \d+$/)
        .first()
        .innerText()
    ).trim();
    const [, cell, of] = /^Cell (\d+) of (\d+)$/.exec(text)!;
    return { cell: Number(cell), of: Number(of) };
  }

  /** Whether some text of the notebook (a line of code, a heading) is on screen inside the editor. */
  async isTextVisible(text: string): Promise<boolean> {
    const target = this.editor.getByText(text, { exact: false }).first();
    if (!(await target.count())) return false;
    const [box, editorBox] = await Promise.all([target.boundingBox(), this.editor.boundingBox()]);
    return !!box && !!editorBox && box.y >= editorBox.y - 1 && box.y + box.height <= editorBox.y + editorBox.height + 1;
  }
}
