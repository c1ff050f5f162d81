import { EmbeddingError } from '../core/embed/embeddingError';
import { type CliArguments, parseCliArguments, USAGE } from './cliArguments';
import type { CliOutput } from './cliContext';
import { duplicatesCommand } from './commands/duplicatesCommand';
import { indexCommand } from './commands/indexCommand';
import { modelsCommand } from './commands/modelsCommand';
import { searchCommand } from './commands/searchCommand';
import { statusCommand } from './commands/statusCommand';
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
    if (error instanceof UsageError) {
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

function dispatch(args: CliArguments, output: CliOutput, signal: AbortSignal): Promise<number> {
  switch (args.command) {
    case 'index':
      return indexCommand(args, output, signal);
    case 'search':
      return searchCommand(args, output, signal, false);
    case 'similar':
      return searchCommand(args, output, signal, true);
    case 'duplicates':
      return duplicatesCommand(args, output);
    case 'status':
      return statusCommand(args, output);
    case 'models':
      return modelsCommand(args, output, signal);
    default:
      throw new UsageError(`unknown command "${args.command}" (try --help)`);
  }
}
