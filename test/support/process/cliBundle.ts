import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The project folder (where package.json and node_modules are). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Packages left out of the bundle, as in esbuild.mjs: native or WASM-carrying, loaded at run time. */
const EXTERNALS = ['sharp', '@hyzyla/pdfium', 'vscode'];

export interface CliBundle {
  /** Absolute path of the bundled `cli.js`. */
  readonly file: string;
  /** For the child's NODE_PATH: where the externals resolve from, since the bundle lives in a temp dir. */
  readonly nodePath: string;
  remove(): Promise<void>;
}

/**
 * Bundles `src/cli.ts` the way the release build does (CommonJS for Node, externals kept out)
 * into a fresh temp folder, so tests run the same kind of file users run, built from the
 * current sources rather than whatever `dist/` last held.
 */
export async function bundleCli(): Promise<CliBundle> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'sightline-cli-'));
  const file = path.join(dir, 'cli.js');
  await build({
    entryPoints: [path.join(PROJECT_ROOT, 'src/cli.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNALS,
    logLevel: 'silent',
    absWorkingDir: PROJECT_ROOT,
  });
  return {
    file,
    nodePath: path.join(PROJECT_ROOT, 'node_modules'),
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
