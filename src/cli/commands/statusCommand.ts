import type { ItemKind } from '../../core/sources/itemTypes';
import { indexFolderBytes } from '../../core/index/store/indexFolder';
import type { CliArguments } from '../cliArguments';
import { type CliOutput, openExistingIndex, resolveRoot } from '../cliContext';
import { printable } from '../terminalText';

export async function statusCommand(args: CliArguments, output: CliOutput): Promise<number> {
  const root = resolveRoot(args.positionals[0] ?? args.root);
  const { store } = await openExistingIndex(args, root);
  try {
    const files: Record<ItemKind, number> = { image: 0, markdown: 0, pdf: 0, notebook: 0 };
    const items: Record<ItemKind, number> = { image: 0, markdown: 0, pdf: 0, notebook: 0 };
    const failures: Array<{ path: string; code: string; message: string; line?: number }> = [];
    const warnings: Array<{ path: string; code: string; message: string; line?: number }> = [];
    for (const record of store.catalog.allFiles()) {
      files[record.kind]++;
      for (const item of record.items) items[item.kind]++;
      for (const failure of record.failures ?? []) failures.push({ path: record.path, ...failure });
      for (const warning of record.warnings ?? []) warnings.push({ path: record.path, ...warning });
    }
    const bytes = await indexFolderBytes(store.dir);
    const status = {
      indexDir: store.dir,
      model: store.model,
      dimensions: store.vectorDims,
      files,
      items,
      vectors: store.rowCount,
      indexBytes: bytes,
      failures,
      warnings,
    };
    if (args.json) {
      output.out(`${JSON.stringify(status, null, 2)}\n`);
    } else {
      output.out(
        `Index: ${printable(status.indexDir)}\nModel: ${printable(status.model)} (${status.dimensions} dimensions)\n` +
          `Files: ${files.image} images, ${files.markdown} markdown, ${files.pdf} PDFs, ${files.notebook} notebooks\n` +
          `Items: ${items.image} image, ${items.markdown} markdown, ${items.pdf} pdf, ${items.notebook} notebook (${status.vectors} vectors, ${(bytes / 1e6).toFixed(1)} MB)\n` +
          `Failures: ${failures.length}\n` +
          failures
            .slice(0, 50)
            .map((f) => `  ${printable(f.path)}: ${printable(f.message)}\n`)
            .join('') +
          `Warnings: ${warnings.length}\n` +
          warnings
            .slice(0, 50)
            .map((w) => `  ${printable(w.path)}: ${printable(w.message)}\n`)
            .join(''),
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
