// The unit tests' fake `vscode` module (test/support/fakeVscode) as one CommonJS file, so a
// plain Node process can hand it to the production bundle in place of the real module.
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const thisRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FAKE = path.join(thisRepo, 'test', 'support', 'fakeVscode');

/** Writes the bundle to `outfile`: the vscode API plus `fake`, `resetFake` and `fakeExtensionContext`. */
export async function bundleFakeVscode(outfile) {
  await esbuild.build({
    stdin: {
      contents: ['vscodeApi', 'fakeHost', 'context'].map((name) => `export * from './${name}';`).join('\n'),
      resolveDir: FAKE,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    // configuration.ts reads package.json's setting defaults relative to its own file.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(path.join(FAKE, 'configuration.ts')).href) },
    logLevel: 'warning',
  });
  return outfile;
}
