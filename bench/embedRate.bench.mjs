// How close the embeddings client runs to a provider's rate limit, against the fake server on
// loopback (50 ms latency, 5 requests/s with bursts of 10, like the IONOS contract), with
// continuous demand for single-image requests (one small synthetic screenshot, reused, so CPU
// is not the bottleneck).
//
//   node bench/embedRate.bench.mjs [a|b]     (default: both)
//
// a  the client is configured to match the limit (5/s, burst 10, concurrency 4), 30 s
// b  the limit is unknown to the client (configured 20/s, burst 20, concurrency 4), 40 s
//
// Every number comes from the server's own request log: a success is a 200 whose request
// arrived inside the run's window. Demand stops at the end of the window and requests already
// queued finish, so nothing in the window is cut off. A window "without 429s" is a 10 s stretch
// in which the server refused nothing; the client is settled from the start of the first one.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSources } from './support/bundleSources.mjs';

const LIMIT = { requestsPerSecond: 5, burst: 10 };
const LATENCY_MS = 50;
const WORKERS = 8; // callers with a request pending; the client lets 4 through at a time
const QUIET_WINDOW_MS = 10_000;

const SCENARIOS = {
  a: {
    label: 'a. client matches the limit (5/s, burst 10, conc. 4)',
    pacing: { requestsPerSecond: 5, burst: 10, concurrency: 4 },
    durationMs: 30_000,
    steadyFromMs: 5_000,
  },
  b: {
    label: 'b. limit unknown (client 20/s, burst 20, conc. 4)',
    pacing: { requestsPerSecond: 20, burst: 20, concurrency: 4 },
    durationMs: 40_000,
    steadyFromMs: 25_000, // the last 15 s
  },
};

const script = path.relative(process.cwd(), fileURLToPath(import.meta.url)) || 'bench/embedRate.bench.mjs';
const chosen = process.argv[2] ? [process.argv[2]] : Object.keys(SCENARIOS);
for (const key of chosen) if (!SCENARIOS[key]) throw new Error(`unknown scenario "${key}" (use a or b)`);

const lib = await bundleSources([
  'src/core/embed/embeddingClient.ts',
  'src/core/embed/endpointCapabilities.ts',
  'test/support/fakeServer/fakeEmbeddingServer.ts',
  'test/support/fakeServer/syntheticImages.ts',
]);
const png = await lib.renderSyntheticScreenshot(7, { width: 320, height: 200 });
const image = { bytes: png, mimeType: 'image/png' };

const results = [];
for (const key of chosen) {
  const result = await runScenario(SCENARIOS[key]);
  results.push({ key, ...result });
  printTimeline(key, SCENARIOS[key], result);
}

console.log(
  `\nserver: ${LIMIT.requestsPerSecond} req/s, burst ${LIMIT.burst}, ${LATENCY_MS} ms latency; requests: one ${png.length} B 320x200 PNG each; ${WORKERS} callers; maxRetries 8`,
);
console.log(
  '| scenario | window | achieved req/s | ratio to 5/s | steady req/s (window) | steady ratio | 429s (all / after 5 s / after settling) | 429s to settle | settle time | client rate at end | failed calls | command |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const s = SCENARIOS[r.key];
  const settle = r.settledAtMs === undefined ? `not within ${s.durationMs / 1000} s` : `${(r.settledAtMs / 1000).toFixed(1)} s`;
  const toSettle = r.settledAtMs === undefined ? `> ${r.rejected.length}` : String(r.rejectedBeforeSettle);
  console.log(
    `| ${s.label} | 0-${s.durationMs / 1000} s | ${r.achieved.toFixed(2)} | ${(r.achieved / LIMIT.requestsPerSecond).toFixed(3)} | ` +
      `${r.steady.toFixed(2)} (${s.steadyFromMs / 1000}-${s.durationMs / 1000} s) | ${(r.steady / LIMIT.requestsPerSecond).toFixed(3)} | ` +
      `${r.rejected.length} / ${r.rejectedAfter5s} / ${r.rejectedAfterSettle ?? '-'} | ${toSettle} | ${settle} | ${r.finalRate.toFixed(2)}/s | ${r.failures} | \`node ${script} ${r.key}\` |`,
  );
}

async function runScenario({ pacing, durationMs, steadyFromMs }) {
  const server = await lib.startFakeEmbeddingServer({ latencyMs: LATENCY_MS, rateLimit: LIMIT, maxRecordedRequests: 10_000 });
  const client = new lib.EmbeddingClient(
    { endpoint: server.baseUrl, model: 'Qwen/Qwen3-VL-Embedding-8B', apiKey: 'test-key', pacing, retry: { maxRetries: 8 } },
    { capabilities: new lib.EndpointCapabilities() },
  );
  // Safety net only: demand stops at the deadline and queued requests are left to finish.
  const hardStop = AbortSignal.timeout(durationMs + 60_000);
  const started = Date.now();
  const deadline = started + durationMs;
  const rates = [];
  const sampler = setInterval(() => rates.push(client.currentRate), 1000);
  let failures = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      try {
        const [outcome] = await client.embedDocuments([{ images: [image] }], { signal: hardStop });
        if (!(outcome instanceof Float32Array)) failures++;
      } catch (error) {
        failures++;
        if (failures <= 3) console.error(`request failed: ${error?.message ?? error}`);
        if (hardStop.aborted) return;
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  clearInterval(sampler);
  const finalRate = client.currentRate;
  await client.close();
  const log = server.requests.filter((r) => r.path === '/v1/embeddings');
  await server.close();

  const inWindow = log.map((r) => ({ at: r.receivedAt - started, status: r.status })).filter((r) => r.at >= 0 && r.at < durationMs);
  const ok = inWindow.filter((r) => r.status === 200).map((r) => r.at);
  const rejected = inWindow.filter((r) => r.status === 429).map((r) => r.at);
  const settledAtMs = firstQuietWindowStart(rejected, durationMs);
  return {
    durationMs,
    ok,
    rejected,
    rates,
    finalRate,
    failures,
    achieved: ok.length / (durationMs / 1000),
    steady: ok.filter((at) => at >= steadyFromMs).length / ((durationMs - steadyFromMs) / 1000),
    rejectedAfter5s: rejected.filter((at) => at >= 5000).length,
    settledAtMs,
    rejectedBeforeSettle: settledAtMs === undefined ? undefined : rejected.filter((at) => at <= settledAtMs).length,
    rejectedAfterSettle: settledAtMs === undefined ? undefined : rejected.filter((at) => at > settledAtMs).length,
  };
}

/** Start of the first 10 s stretch without a 429 (0 if none came), or undefined. */
function firstQuietWindowStart(rejectedAt, durationMs) {
  let previous = 0;
  for (const at of rejectedAt) {
    if (at - previous >= QUIET_WINDOW_MS) return previous;
    previous = at;
  }
  return durationMs - previous >= QUIET_WINDOW_MS ? previous : undefined;
}

function printTimeline(key, scenario, result) {
  const seconds = Math.ceil(result.durationMs / 1000);
  const perSecond = (times) => {
    const counts = new Array(seconds).fill(0);
    for (const at of times) counts[Math.floor(at / 1000)]++;
    return counts.join(' ');
  };
  console.log(`\n${scenario.label}, per second of the window:`);
  console.log(`  200s:        ${perSecond(result.ok)}`);
  console.log(`  429s:        ${perSecond(result.rejected)}`);
  console.log(`  client rate: ${result.rates.map((r) => r.toFixed(2)).join(' ')}`);
  console.log(`  429 arrivals (s): ${result.rejected.map((at) => (at / 1000).toFixed(2)).join(' ') || 'none'}`);
}
