import { EmbeddingError } from '../core/embed/embeddingError';
import { UnsafeIndexFolderError } from '../core/index/store/indexErrors';
import { type CliArguments, parseCliArguments, USAGE } from './cliArguments';
import type { CliOutput } from './cliContext';
import { UsageError } from './usageError';

/** Exit codes: 0 success, 1 some items failed (or the run stopped), 2 usage or configuration. */
export async function runCli(argv: readonly string[], output: CliOutput, signal: AbortSignal): Promise<number> {
  let args: CliArguments;
  try {
    args = parseCliArguments(argv);
    if (args.help || !args.command) {
      output.out(`${USAGE}\n`);
      return args.help ? 0 : 2;
    }
    return await dispatch(args, output, signal);
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnsafeIndexFolderError) {
      output.err(`sightline: ${error.message}\n`);
      return 2;
    }
    if (error instanceof EmbeddingError) {
      output.err(`sightline: ${error.message}\n`);
      return error.kind === 'auth' || error.kind === 'model-not-found' ? 2 : 1;
    }
    output.err(`sightline: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** Commands load on demand, so `--help` or a usage error never pays for sharp or PDFium. */
async function dispatch(args: CliArguments, output: CliOutput, signal: AbortSignal): Promise<number> {
  switch (args.command) {
    case 'index':
      return (await import('./commands/indexCommand')).indexCommand(args, output, signal);
    case 'search':
    case 'similar':
      return (await import('./commands/searchCommand')).searchCommand(args, output, signal, args.command === 'similar');
    case 'duplicates':
      return (await import('./commands/duplicatesCommand')).duplicatesCommand(args, output);
    case 'status':
      return (await import('./commands/statusCommand')).statusCommand(args, output);
    case 'models':
      return (await import('./commands/modelsCommand')).modelsCommand(args, output, signal);
    default:
      throw new UsageError(`unknown command "${args.command}" (try --help)`);
  }
}
