import { type ChildProcess, spawn } from 'node:child_process';
import type { CliBundle } from './cliBundle';

export interface CliResult {
  /** Exit code, or null when the process was ended by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliProcessOptions {
  readonly cwd: string;
  /** The value of SIGHTLINE_API_KEY; undefined leaves it unset. */
  readonly apiKey?: string;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Kills the process (SIGKILL) if it runs longer than this (a hang guard); default 60 s. */
  readonly timeoutMs?: number;
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Settles when the process has exited and its output streams are closed. */
  readonly done: Promise<CliResult>;
  /** True once the process has exited (on its own or killed). */
  readonly exited: boolean;
  /** Sends SIGKILL (no clean-up runs in the child) and waits for the exit. */
  kill(): Promise<CliResult>;
}

/** Starts `node cli.js ...args` with a clean environment: no SIGHTLINE_* settings but the ones given. */
export function spawnCli(bundle: CliBundle, args: readonly string[], options: CliProcessOptions): RunningCli {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith('SIGHTLINE_') || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  env.NODE_PATH = bundle.nodePath;
  if (options.apiKey !== undefined) env.SIGHTLINE_API_KEY = options.apiKey;
  Object.assign(env, options.env);

  const child = spawn(process.execPath, [bundle.file, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exited = false;
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    done,
    get exited() {
      return exited;
    },
    kill() {
      if (!exited && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return done;
    },
  };
}

/** Runs the CLI to completion. */
export function runCli(bundle: CliBundle, args: readonly string[], options: CliProcessOptions): Promise<CliResult> {
  return spawnCli(bundle, args, options).done;
}
