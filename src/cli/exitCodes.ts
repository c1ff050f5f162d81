/** The CLI's exit codes (README.md, "Command line"). */
export const ExitCode = {
  /** Everything asked for was done. */
  ok: 0,
  /** Some files failed, or the run stopped or was cancelled. */
  failed: 1,
  /** A usage or configuration error: nothing was done. */
  usage: 2,
} as const;

/**
 * The exit code for a run the embeddings service stopped: a refused key or an unknown model is
 * configuration (2); an endpoint that is down or keeps rate-limiting is a failed run (1).
 */
export function exitCodeForStop(kind: string): number {
  return kind === 'auth' || kind === 'model-not-found' ? ExitCode.usage : ExitCode.failed;
}
