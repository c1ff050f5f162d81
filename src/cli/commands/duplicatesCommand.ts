import { findDuplicateImages } from '../../core/index/search/duplicateImages';
import { SearchIndex } from '../../core/index/search/searchIndex';
import type { CliArguments } from '../cliArguments';
import { type CliOutput, openExistingIndex, resolveRoot } from '../cliContext';
import { printable } from '../terminalText';

export async function duplicatesCommand(args: CliArguments, output: CliOutput): Promise<number> {
  const root = resolveRoot(args.root);
  const { store } = await openExistingIndex(args, root);
  try {
    const groups = findDuplicateImages(store, new SearchIndex(store));
    if (args.json) {
      output.out(`${JSON.stringify({ groups }, null, 2)}\n`);
    } else if (!groups.length) {
      output.out('No duplicate images.\n');
    } else {
      for (const group of groups) {
        const label = group.kind === 'exact' ? 'identical' : `similar (>= ${group.similarity.toFixed(3)})`;
        output.out(`${label}:\n${group.files.map((f) => `  ${printable(f.path)}\n`).join('')}`);
      }
    }
    return 0;
  } finally {
    await store.close();
  }
}
