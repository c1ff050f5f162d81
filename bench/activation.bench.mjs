// Extension activation: `node bench/activation.bench.mjs [runs=20]`
//
// Builds the production bundles with esbuild.mjs --production (into a temp folder, so dist/ is
// left alone), then, in a fresh Node process per run, requires dist/extension.js with a minimal
// stand-in for the `vscode` module and calls activate(), as the extension host does at start-up.
// Reports the median time, whether sharp or PDFium had been loaded (after require, after
// activate(), and once the status bar has read the index state), and the bundle sizes.
// Target: require + activate() under 50 ms, and neither native engine loaded.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildProduction } from './support/productionBundle.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 20);
const TARGET_MS = 50;

const work = mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-activation-'));
try {
  const dist = buildProduction(path.join(work, 'build'));
  const probe = writeProbe(work);
  // One untimed run: the first process pays for cold file caches.
  await runProbe(probe, dist, work);
  const samples = [];
  for (let run = 0; run < runs; run++) samples.push(await runProbe(probe, dist, work));
  report(samples, dist);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function report(samples, dist) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const total = samples.map((s) => s.requireMs + s.activateMs);
  const heavy = (key) => {
    const loaded = samples.filter((s) => s[key].length > 0).length;
    return loaded === 0 ? 'no' : `**yes** in ${loaded}/${samples.length} runs (${[...new Set(samples.flatMap((s) => s[key]))].join(', ')})`;
  };
  const kb = (file) => `${(statSync(path.join(dist, file)).size / 1024).toFixed(0)} KB`;
  const load = os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' / ');
  console.log(`node ${process.version}, ${os.cpus().length} cores (load average ${load}), ${samples.length} runs, one fresh process each`);
  console.log('');
  console.log('| measure | median | min | max |');
  console.log('|---|---|---|---|');
  const row = (label, values) =>
    console.log(`| ${label} | ${median(values).toFixed(1)} ms | ${Math.min(...values).toFixed(1)} ms | ${Math.max(...values).toFixed(1)} ms |`);
  row(
    'require(dist/extension.js)',
    samples.map((s) => s.requireMs),
  );
  row(
    'activate()',
    samples.map((s) => s.activateMs),
  );
  row(`require + activate() (target < ${TARGET_MS} ms)`, total);
  // CPU time is what the work costs; wall time also counts waiting for a core on a busy machine.
  row(
    'require + activate(), CPU time of the process',
    samples.map((s) => s.cpuMs),
  );
  row(
    'activation until the status bar shows the index state',
    samples.map((s) => s.settledMs),
  );
  console.log('');
  console.log('| heavy module loaded? | sharp or @hyzyla/pdfium |');
  console.log('|---|---|');
  console.log(`| after require(dist/extension.js) | ${heavy('heavyAfterRequire')} |`);
  console.log(`| after activate() returned | ${heavy('heavyAfterActivate')} |`);
  console.log(`| once the status bar has read the index state | ${heavy('heavyAfterSettle')} |`);
  console.log('');
  console.log('| production bundle | size |');
  console.log('|---|---|');
  const bundles = readdirSync(dist).filter((file) => file.endsWith('.js'));
  for (const file of ['extension.js', 'cli.js', 'webview.js', ...bundles.filter((f) => !['extension.js', 'cli.js', 'webview.js'].includes(f))])
    console.log(`| dist/${file} | ${kb(file)} |`);
  const verdict = median(total) < TARGET_MS && !samples.some((s) => s.heavyAfterActivate.length) ? 'meets' : 'misses';
  console.log(`\nrequire + activate(): median ${median(total).toFixed(1)} ms, ${verdict} the target (< ${TARGET_MS} ms, no native engine loaded).`);
}

async function runProbe(probe, dist, dir) {
  const folder = mkdtempSync(path.join(dir, 'ws-'));
  const storage = mkdtempSync(path.join(dir, 'storage-'));
  const { stdout } = await promisify(execFile)(process.execPath, [probe], {
    env: { ...process.env, SL_EXTENSION: path.join(dist, 'extension.js'), SL_EXTENSION_PATH: repo, SL_WORKSPACE: folder, SL_STORAGE: storage },
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

/**
 * The child: a `vscode` stand-in with just what activate() touches, resolved in place of the
 * real module; it times require() and activate() and lists the native modules in require.cache.
 */
function writeProbe(dir) {
  const file = path.join(dir, 'probe.cjs');
  writeFileSync(
    file,
    `'use strict';
const path = require('node:path');
const Module = require('node:module');
const started = performance.now();

class Disposable {
  constructor(onDispose) { this.onDispose = onDispose; }
  static from(...items) { return new Disposable(() => items.forEach((item) => item.dispose())); }
  dispose() { const run = this.onDispose; this.onDispose = undefined; if (run) run(); }
}
class EventEmitter {
  constructor() { this.listeners = []; this.event = (listener) => { this.listeners.push(listener); return new Disposable(() => { this.listeners = this.listeners.filter((l) => l !== listener); }); }; }
  fire(value) { for (const listener of [...this.listeners]) listener(value); }
  dispose() { this.listeners = []; }
}
class Uri {
  constructor(scheme, p, fragment = '') { this.scheme = scheme; this.path = p; this.fragment = fragment; }
  static file(p) { return new Uri('file', path.resolve(p)); }
  static joinPath(base, ...parts) { return new Uri(base.scheme, path.posix.join(base.path, ...parts)); }
  get fsPath() { return this.path; }
  with(change) { return new Uri(change.scheme ?? this.scheme, change.path ?? this.path, change.fragment ?? this.fragment); }
  toString() { return this.scheme + '://' + this.path; }
}
let renders = 0;
let settle;
const settled = new Promise((resolve) => { settle = resolve; });
const config = { get: (_key, fallback) => fallback, inspect: () => undefined, update: async () => undefined };
const folder = process.env.SL_WORKSPACE;
const vscode = {
  Disposable, EventEmitter, Uri,
  ThemeIcon: class { constructor(id) { this.id = id; } },
  ThemeColor: class { constructor(id) { this.id = id; } },
  CancellationTokenSource: class { constructor() { this.token = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() }; } cancel() {} dispose() {} },
  TabInputText: class {}, TabInputCustom: class {},
  StatusBarAlignment: { Left: 1, Right: 2 }, ProgressLocation: { Window: 10, Notification: 15 }, ViewColumn: { Active: -1 },
  ConfigurationTarget: { Global: 1 }, QuickPickItemKind: { Separator: -1 }, TextEditorRevealType: { AtTop: 3 },
  commands: { registerCommand: () => new Disposable(), executeCommand: async () => undefined },
  window: {
    createOutputChannel: () => ({ info() {}, warn() {}, error() {}, debug() {}, trace() {}, appendLine() {}, show() {}, dispose() {} }),
    createStatusBarItem: () => ({ show() { if (++renders === 2) settle(); }, hide() {}, dispose() {} }),
    registerWebviewPanelSerializer: () => new Disposable(),
    registerCustomEditorProvider: () => new Disposable(),
    tabGroups: { activeTabGroup: {} },
  },
  workspace: {
    isTrusted: true,
    workspaceFolders: [{ uri: Uri.file(folder), name: path.basename(folder), index: 0 }],
    getWorkspaceFolder: () => undefined,
    getConfiguration: () => config,
    createFileSystemWatcher: () => ({ onDidCreate: () => new Disposable(), onDidChange: () => new Disposable(), onDidDelete: () => new Disposable(), dispose() {} }),
  },
};
const stub = path.join(__dirname, 'vscode-stub.cjs');
require.cache[stub] = Object.assign(new Module(stub), { filename: stub, loaded: true, exports: vscode });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? stub : resolve.call(this, request, ...rest); };

const heavy = () => [...new Set(Object.keys(require.cache).map((key) => /[\\\\/]node_modules[\\\\/](sharp|@hyzyla[\\\\/]pdfium)[\\\\/]/.exec(key)?.[1]).filter(Boolean))].map((name) => name.replace('\\\\', '/'));
const secrets = { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => new Disposable() };
const memento = () => { const values = new Map(); return { get: (key, fallback) => (values.has(key) ? values.get(key) : fallback), update: async (key, value) => void values.set(key, value), keys: () => [...values.keys()] }; };
const context = { subscriptions: [], secrets, workspaceState: memento(), globalState: memento(), extensionUri: Uri.file(process.env.SL_EXTENSION_PATH), storageUri: Uri.file(process.env.SL_STORAGE) };

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const extension = require(process.env.SL_EXTENSION);
const t1 = performance.now();
const heavyAfterRequire = heavy();
extension.activate(context);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
const heavyAfterActivate = heavy();
Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 5000))]).then(() => {
  const t3 = performance.now();
  console.log(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, settledMs: t3 - t0, heavyAfterRequire, heavyAfterActivate, heavyAfterSettle: heavy(), stubMs: t0 - started }));
  process.exit(0);
});
`,
  );
  return file;
}
