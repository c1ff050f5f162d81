import { IndexStore } from '../../core/index/store/indexStore';
import { indexFolderBytes } from '../../core/index/store/indexFolder';
import type { CliArguments } from '../cliArguments';
import { type CliOutput, readExistingManifest, resolveRoot } from '../cliContext';

/** Reads the manifest (and the problem list, when there are problems): no vectors, no catalog. */
export async function statusCommand(args: CliArguments, output: CliOutput): Promise<number> {
  const root = resolveRoot(args.positionals[0] ?? args.root);
  const { dir, manifest } = await readExistingManifest(args, root);
  const summary = manifest.summary!;
  const { files, items } = summary;
  const problems = await IndexStore.readProblems(dir, manifest);
  const failures = problems.failures.map(({ root: _root, ...failure }) => failure);
  const warnings = problems.warnings.map(({ root: _root, ...warning }) => warning);
  const bytes = await indexFolderBytes(dir);
  const status = {
    indexDir: dir,
    model: manifest.model,
    dimensions: manifest.vectorDims,
    files,
    items,
    vectors: manifest.segments.reduce((sum, segment) => sum + segment.count, 0),
    indexBytes: bytes,
    failures,
    warnings,
  };
  if (args.json) {
    output.out(`${JSON.stringify(status, null, 2)}\n`);
  } else {
    output.out(
      `Index: ${status.indexDir}\nModel: ${status.model} (${status.dimensions} dimensions)\n` +
        `Files: ${files.image} images, ${files.markdown} markdown, ${files.pdf} PDFs\n` +
        `Items: ${items.image} image, ${items.markdown} markdown, ${items.pdf} pdf (${status.vectors} vectors, ${(bytes / 1e6).toFixed(1)} MB)\n` +
        `Failures: ${failures.length}\n` +
        failures
          .slice(0, 50)
          .map((f) => `  ${f.path}: ${f.message}\n`)
          .join('') +
        `Warnings: ${warnings.length}\n` +
        warnings
          .slice(0, 50)
          .map((w) => `  ${w.path}: ${w.message}\n`)
          .join(''),
    );
  }
  return 0;
}
