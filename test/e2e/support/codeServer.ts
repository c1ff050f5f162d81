import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CODE_SERVER_BIN } from './e2ePaths';

const execFileAsync = promisify(execFile);

export interface CodeServerOptions {
  /** The VSIX installed before start. */
  readonly vsixPath: string;
  /** The User settings (settings.json in the user data's User folder). */
  readonly userSettings: Record<string, unknown>;
  /**
   * The Remote settings (the user data's Machine folder). In a window on a remote, and code-server
   * windows are, VS Code applies machine-scoped settings (all of Sightline's endpoint and request
   * settings) only from here: from User settings it drops them once their schema is known.
   */
  readonly remoteSettings: Record<string, unknown>;
}

/**
 * A throwaway code-server (VS Code served to a browser): its own user data, extensions, config
 * and XDG folders in one temp folder, listening on a free loopback port without auth. Its
 * environment drops SIGHTLINE_API_KEY (the extension's fallback key) and VSCODE_* variables (a
 * code-server started from a VS Code terminal would otherwise talk to that VS Code).
 */
export class CodeServer {
  private output = '';

  private constructor(
    readonly home: string,
    readonly url: string,
    private readonly child: ChildProcess,
    outputSoFar: string,
  ) {
    this.output = outputSoFar;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const home = await fs.mkdtemp(path.join(tmpdir(), 'sightline-e2e-vscode-'));
    const dirs = directories(home);
    await fs.mkdir(path.join(dirs.userData, 'User'), { recursive: true });
    await fs.mkdir(path.join(dirs.userData, 'Machine'), { recursive: true });
    await fs.mkdir(dirs.xdgConfig, { recursive: true });
    await fs.mkdir(dirs.xdgData, { recursive: true });
    await fs.writeFile(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(options.userSettings, null, 2));
    await fs.writeFile(path.join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(options.remoteSettings, null, 2));
    await fs.writeFile(dirs.config, 'auth: none\ncert: false\n');
    const common = ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
    const env = serverEnvironment(dirs);
    await execFileAsync(CODE_SERVER_BIN, ['--install-extension', options.vsixPath, '--force', ...common], { env, timeout: 120_000 });

    const child = spawn(
      CODE_SERVER_BIN,
      ['--bind-addr', '127.0.0.1:0', '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', ...common],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Should the test process die without stop(), its detached server must not outlive it.
    const killOnExit = () => child.pid !== undefined && signalGroup(child.pid, 'SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    const { url, output } = await waitForListening(child);
    return new CodeServer(home, url, child, output);
  }

  get userDataDir(): string {
    return directories(this.home).userData;
  }

  /** The workbench URL that opens `folder`. */
  folderUrl(folder: string): string {
    return `${this.url}?folder=${encodeURIComponent(folder)}`;
  }

  /** code-server's own output plus the Sightline output channel, for a failing test's report. */
  async diagnostics(): Promise<string> {
    const logs = await findFiles(path.join(this.userDataDir, 'logs'), (file) => /Sightline\.log$|exthost\.log$|remoteagent\.log$/.test(file));
    const parts = [`--- code-server output ---\n${this.output.slice(-6000)}`];
    for (const file of logs) parts.push(`--- ${path.relative(this.home, file)} ---\n${(await fs.readFile(file, 'utf8')).slice(-6000)}`);
    return parts.join('\n');
  }

  /** Stops the server (its whole process group: the extension host too) and deletes its folders. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      signalGroup(pid, 'SIGKILL'); // children that outlived the server
    }
    await fs.rm(this.home, { recursive: true, force: true, maxRetries: 3 });
  }
}

function directories(home: string) {
  return {
    userData: path.join(home, 'user-data'),
    extensions: path.join(home, 'extensions'),
    config: path.join(home, 'config.yaml'),
    xdgConfig: path.join(home, 'xdg-config'),
    xdgData: path.join(home, 'xdg-data'),
  };
}

function serverEnvironment(dirs: ReturnType<typeof directories>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'SIGHTLINE_API_KEY' || key === 'PORT' || key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return { ...env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData };
}

function waitForListening(child: ChildProcess): Promise<{ url: string; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) finish(() => resolve({ url: match[1]!, output }));
    };
    const onExit = (code: number | null) => fail(new Error(`code-server exited (${code}) before listening:\n${output}`));
    const finish = (then: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      then();
    };
    const fail = (error: Error) => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      finish(() => reject(error));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function findFiles(dir: string, wanted: (file: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && wanted(file)) found.push(file);
  }
  return found.sort();
}
