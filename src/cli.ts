import { quietWhenClosed } from './cli/closedPipe';
import { runCli } from './cli/runCli';

const out = quietWhenClosed(process.stdout);
const err = quietWhenClosed(process.stderr);

// Ctrl+C cancels cleanly: the indexer checkpoints what finished before the process exits.
const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  err('\nCancelling (Ctrl+C again to quit at once)…\n');
  controller.abort(new Error('cancelled by the user'));
});

runCli(process.argv.slice(2), { out, err, isTTY: Boolean(process.stderr.isTTY) }, controller.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`sightline: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
