import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_BIN, CODE_SERVER_BIN, PROJECT_ROOT } from './e2ePaths';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The packaged extension every scenario installs. */
    vsixPath: string;
  }
}

/**
 * Runs once before the scenarios: checks the tools are there and packages the extension the way
 * a release is packaged, for this machine's platform only (`npm run package:host`, which leaves
 * the VSIX in sightline.vsix), so the tests exercise the real VSIX. Set SIGHTLINE_E2E_VSIX to
 * test an already built VSIX instead.
 */
export async function setup(project: TestProject): Promise<void> {
  for (const [what, file] of [
    ['code-server', CODE_SERVER_BIN],
    ['Chromium', CHROMIUM_BIN],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${what} is missing at ${file}: run scripts/e2e-setup.sh first.`);
  }
  let vsixPath = process.env.SIGHTLINE_E2E_VSIX;
  if (vsixPath) {
    vsixPath = path.resolve(PROJECT_ROOT, vsixPath);
    if (!existsSync(vsixPath)) throw new Error(`SIGHTLINE_E2E_VSIX names ${vsixPath}, which does not exist.`);
  } else {
    await run('npm', ['run', 'package:host'], PROJECT_ROOT);
    vsixPath = path.join(PROJECT_ROOT, 'sightline.vsix');
  }
  project.provide('vsixPath', vsixPath);
}

function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`))));
  });
}
