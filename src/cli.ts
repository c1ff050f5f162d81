import { runCli } from './cli/runCli';

// Ctrl+C cancels cleanly: the indexer checkpoints what finished before the process exits.
const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nCancelling (Ctrl+C again to quit at once)…\n');
  controller.abort(new Error('cancelled by the user'));
});

runCli(
  process.argv.slice(2),
  { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text), isTTY: Boolean(process.stderr.isTTY) },
  controller.signal,
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sightline: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
