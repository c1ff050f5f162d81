// Bundles the entry points: the extension host (CommonJS for VS Code), the CLI, the image and
// PDF preparation worker, and the browser code of the search panel, the PDF page viewer and
// the duplicate images panel.
// Native and WASM-carrying packages stay external so they load from node_modules at run time
// (and ship in the VSIX per platform).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const nodeExternal = ['vscode', 'sharp', '@hyzyla/pdfium'];

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'info',
};

// The heavy core (sharp, PDFium, undici, the index) is its own file, required on first use:
// the extension host then compiles only the small activation bundle at start-up.
const coreApart = {
  name: 'core-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/lazyCore$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './core.js', external: true } : undefined));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
    plugins: [coreApart],
    // import('./core.js') becomes require('./core.js'): the extension host loads CommonJS.
    supported: { 'dynamic-import': false },
  },
  {
    ...common,
    entryPoints: ['src/vscode/lazyCore.ts'],
    outfile: 'dist/core.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
  },
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The preparation worker thread: the extension host starts it from the file next to itself.
    ...common,
    entryPoints: ['src/core/sources/worker/preparationWorker.ts'],
    outfile: 'dist/preparationWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternal,
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    // The PDF page viewer's page (a custom editor's webview).
    ...common,
    entryPoints: ['src/webview/pdfViewer/main.ts'],
    outfile: 'dist/pdfViewer.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    // The duplicate images panel's page.
    ...common,
    entryPoints: ['src/webview/duplicates/main.ts'],
    outfile: 'dist/duplicates.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
