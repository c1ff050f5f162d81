// The child of bench/extensionHostMemory.bench.mjs: one fresh "extension host" per measurement.
//   node --expose-gc extensionHostProbe.mjs OPTIONS_JSON
// Loads the production bundle (dist/extension.js) with the unit tests' fake `vscode` module in
// place of the real one, activates it on a workspace folder whose storage may hold an index,
// waits for the background open the way a user sees it (the status bar item leaves "opening
// index" for the index's count), then types a query into Sightline: Search (the quick pick) and
// waits for its results. Records RSS at each step, the longest event-loop stall, and prints one
// line: HOST_RESULT {json}. Exits non-zero when the extension did not do what is measured.
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { backgroundOpenOutcome } from './statusBarTimeline.mjs';

const require = createRequire(import.meta.url);
const { extension, fakeVscode, extensionPath, workspace, storage, endpoint, query, expectIndex, timeoutMs } = JSON.parse(process.argv[2]);

const MB = 1024 * 1024;
const memory = () => {
  const m = process.memoryUsage();
  return { rssMB: m.rss / MB, heapUsedMB: m.heapUsed / MB, externalMB: m.external / MB, arrayBuffersMB: m.arrayBuffers / MB };
};

// The fake stands in for `vscode` wherever the bundle requires it, as the extension host's loader does.
const vscode = require(fakeVscode);
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? fakeVscode : resolve.call(this, request, ...rest);
};
vscode.resetFake();
vscode.fake.workspace.setFolders([workspace]);
vscode.fake.settings.setUser('sightline.endpoint', endpoint);
const { context, subscriptions } = vscode.fakeExtensionContext({ extensionPath, storagePath: storage });

const before = memory();
const t0 = performance.now();
const loaded = require(extension);
loaded.activate(context);
const activatedMs = performance.now() - t0;
const afterActivate = memory();

// Every render of the status bar item, with the time since activation began.
const item = vscode.fake.window.statusBarItems.find((i) => i.id === 'sightline.status');
if (!item) fail('activate() created no Sightline status bar item');
const renders = [{ atMs: 0, text: item.text }];
let rendered = () => undefined;
const show = item.show.bind(item);
item.show = () => {
  show();
  renders.push({ atMs: performance.now() - t0, text: item.text });
  rendered();
};
const stalls = monitorEventLoopDelay({ resolution: 10 });
stalls.enable();

const outcome = await settle();
const stallMaxMs = stalls.max / 1e6;
stalls.disable();
const afterOpen = memory();
const result = { expectIndex, activatedMs, before, afterActivate, afterOpen, renders, stallMaxMs, ...outcome };
if (expectIndex) Object.assign(result, await firstQuery());
result.maxRssMB = process.resourceUsage().maxRSS / 1024;
// After everything measured: what the heap still holds once garbage is collected.
globalThis.gc?.();
result.afterGc = memory();
// The window closes: the store is closed and its lock released, as VS Code's shutdown does.
for (const disposable of [...subscriptions].reverse()) await disposable.dispose();
console.log(`HOST_RESULT ${JSON.stringify(result)}`);
process.exit(0);

/** Waits for the status bar to show the outcome of the background open (or of its absence). */
async function settle() {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      const outcome = backgroundOpenOutcome(renders, { expectIndex });
      if (!expectIndex) await new Promise((done) => setTimeout(done, 200)); // anything else start-up does
      return outcome;
    } catch (error) {
      // Only "not yet" is worth waiting on; a wrong state is final.
      if (!/still shows|never showed|never settled/.test(error.message)) fail(error.message);
      if (performance.now() > deadline) fail(`after ${timeoutMs} ms: ${error.message}`);
    }
    await new Promise((done) => {
      rendered = done;
      setTimeout(done, 1000);
    });
  }
}

/** Sightline: Search, the query typed, until the quick pick shows its results. */
async function firstQuery() {
  const service = subscriptions.find((s) => typeof s.openInBackground === 'function');
  if (!service) fail('no Sightline service among the subscriptions');
  if (service.isFollowing) fail('the window opened the index read-only (another writer held it): not the path measured');
  // Timed from outside the service, on its instance: how long its search took, without the quick pick's typing debounce.
  let searchMs;
  const search = service.search.bind(service);
  service.search = async (...args) => {
    const started = performance.now();
    try {
      return await search(...args);
    } finally {
      searchMs = performance.now() - started;
    }
  };
  await vscode.commands.executeCommand('sightline.search');
  const pick = vscode.fake.window.createdQuickPicks.at(-1);
  if (!pick) fail('Sightline: Search showed no quick pick');
  const shown = new Promise((done) => {
    const prototype = Object.getPrototypeOf(pick);
    const { get, set } = Object.getOwnPropertyDescriptor(prototype, 'items');
    Object.defineProperty(pick, 'items', {
      get() {
        return get.call(this);
      },
      set(items) {
        set.call(this, items);
        if (items.length > 0) done(performance.now());
      },
    });
  });
  const typed = performance.now();
  pick.type(query);
  const timer = setTimeout(() => fail(`no results after ${timeoutMs} ms (title: ${pick.title})`), timeoutMs);
  const shownAt = await shown;
  clearTimeout(timer);
  if (!/^Sightline: \d+ results$/.test(pick.title ?? '')) fail(`the search answered "${pick.title}"`);
  return { firstQueryMs: shownAt - typed, searchMs, results: pick.items.length, afterQuery: memory() };
}

function fail(message) {
  console.error(`extension host probe: ${message}`);
  process.exit(2);
}
