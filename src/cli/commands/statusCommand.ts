import type { FileProblem } from '../../core/index/catalog/catalog';
import { indexFolderBytes } from '../../core/index/store/indexFolder';
import type { IndexManifest, IndexSummary } from '../../core/index/store/indexManifest';
import { IndexStore } from '../../core/index/store/indexStore';
import type { CliArguments } from '../cliArguments';
import { type CliOutput, openExistingIndex, readExistingManifest, resolveRoot } from '../cliContext';
import { printable } from '../terminalText';

/**
 * Reads the manifest's counts and, when there are problems, the problem list: no vectors, no
 * catalog. An index of the format before counts were kept is opened read-only and counted.
 */
export async function statusCommand(args: CliArguments, output: CliOutput): Promise<number> {
  const root = resolveRoot(args.positionals[0] ?? args.root);
  const { dir, manifest } = await readExistingManifest(args, root);
  const { summary, problems } = manifest.summary
    ? { summary: manifest.summary, problems: await IndexStore.readProblems(dir, manifest) }
    : await countByOpening(args, root);
  const { files, items } = summary;
  const failures = problems.failures.map(withoutRoot);
  const warnings = problems.warnings.map(withoutRoot);
  const bytes = await indexFolderBytes(dir);
  const status = {
    indexDir: dir,
    model: manifest.model,
    dimensions: manifest.vectorDims,
    files,
    items,
    vectors: vectorCount(manifest),
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
}

type Problems = { failures: FileProblem[]; warnings: FileProblem[] };

async function countByOpening(args: CliArguments, root: string): Promise<{ summary: IndexSummary; problems: Problems }> {
  const { store } = await openExistingIndex(args, root);
  try {
    return { summary: store.summary, problems: store.catalog.problems() };
  } finally {
    await store.close();
  }
}

function vectorCount(manifest: IndexManifest): number {
  return manifest.segments.reduce((sum, segment) => sum + segment.count, 0);
}

function withoutRoot({ root: _root, ...problem }: FileProblem): Omit<FileProblem, 'root'> {
  return problem;
}
