import { redactSecrets } from '../core/common/redaction';
import { EmbeddingError } from '../core/embed/embeddingError';
import { UnsafeIndexFolderError } from '../core/index/store/indexErrors';
import { type CliArguments, parseCliArguments, USAGE } from './cliArguments';
import type { CliOutput } from './cliContext';
import { ExitCode, exitCodeForStop } from './exitCodes';
import { printable } from './terminalText';
import { UsageError } from './usageError';

/** Runs one command and returns its exit code (see exitCodes.ts). */
export async function runCli(argv: readonly string[], output: CliOutput, signal: AbortSignal): Promise<number> {
  let args: CliArguments;
  try {
    args = parseCliArguments(argv);
    if (args.help || !args.command) {
      output.out(`${USAGE}\n`);
      return args.help ? ExitCode.ok : ExitCode.usage;
    }
    return await dispatch(args, output, signal);
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnsafeIndexFolderError) {
      output.err(`sightline: ${safeMessage(error.message)}\n`);
      return ExitCode.usage;
    }
    if (error instanceof EmbeddingError) {
      output.err(`sightline: ${safeMessage(error.message)}\n`);
      return exitCodeForStop(error.kind);
    }
    output.err(`sightline: ${safeMessage(error instanceof Error ? error.message : String(error))}\n`);
    return ExitCode.failed;
  }
}

/** One line, no terminal controls, no credentials (a server may echo the key in its error). */
function safeMessage(message: string): string {
  return printable(redactSecrets(message, [process.env.SIGHTLINE_API_KEY?.trim(), process.env.SIGHTLINE_CACHE_TOKEN?.trim()]));
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
    case 'cache':
      return (await import('./commands/cacheCommand')).cacheCommand(args, output);
    case 'models':
      return (await import('./commands/modelsCommand')).modelsCommand(args, output, signal);
    default:
      throw new UsageError(`unknown command "${args.command}" (try --help)`);
  }
}
