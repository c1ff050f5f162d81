// Bytes the embeddings client moves per item, against the fake server on loopback:
//   node bench/requestBytes.bench.mjs
//
// - a 1080p screenshot (synthetic, 1920x1080 PNG, five seeds), prepared the way the indexer
//   prepares an image (prepareImage -> embeddable) and sent as one conversation;
// - 1,000 markdown-like text chunks of about 1,500 characters, batched by the client;
// each with the server answering base64 and with a server that refuses base64 (the client then
// asks for floats). Vectors are full size (4096 dims, the default).
//
// Request body: the Content-Length the server received. Response body: the same request
// replayed raw (fetch), its answer's length. On the wire: a loopback TCP proxy between client
// and server counts every byte both ways (HTTP headers included). The one-off 400 that teaches
// the client a server refuses base64 is paid in a warm-up query and reported separately.
//
// The fake's text vectors are a sparse bag of hashed words (most of the 4096 values are 0),
// which makes its float answers for text far shorter than a real model's dense vectors. So the
// text responses are also computed for dense unit vectors, with the fake's own response
// builder, in the same batches the client sent.
import * as net from 'node:net';
import { bundleSources } from './support/bundleSources.mjs';

const SEEDS = [1, 2, 3, 4, 5];
const CHUNKS = 1000;
const MODEL = 'Qwen/Qwen3-VL-Embedding-8B';

const lib = await bundleSources([
  'src/core/embed/embeddingClient.ts',
  'src/core/embed/endpointCapabilities.ts',
  'src/core/sources/image/prepareImage.ts',
  'test/support/fakeServer/fakeEmbeddingServer.ts',
  'test/support/fakeServer/fakeServerClient.ts',
  'test/support/fakeServer/responseBodies.ts',
  'test/support/fakeServer/syntheticImages.ts',
]);

const screenshots = [];
for (const seed of SEEDS) {
  const file = await lib.renderSyntheticScreenshot(seed, { width: 1920, height: 1080 });
  const prepared = await lib.prepareImage({ bytes: file });
  screenshots.push({ seed, file, prepared });
}
const chunks = markdownChunks(CHUNKS, 1500);
const chunkChars = chunks.reduce((sum, text) => sum + text.length, 0);

const rows = [];
const fallbacks = [];
for (const base64 of [true, false]) {
  const session = await openSession(base64);
  try {
    fallbacks.push({ base64, ...(await session.warmUp()) });
    const images = [];
    for (const shot of screenshots) images.push(await session.measure([{ images: [shot.prepared.embeddable] }]));
    rows.push({ item: '1080p screenshot', base64, per: 1, runs: images });
    rows.push({ item: `${CHUNKS.toLocaleString('en')} text chunks`, base64, per: CHUNKS, runs: [await session.measure(chunks.map((text) => ({ text })))] });
  } finally {
    await session.close();
  }
}

const shot = screenshots[0];
const medianOf = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rawFile = medianOf(screenshots.map((s) => s.file.length));
const embeddable = medianOf(screenshots.map((s) => s.prepared.embeddable.bytes.length));
console.log(`screenshots: 1920x1080 synthetic PNGs, seeds ${SEEDS.join(', ')}; file bytes ${screenshots.map((s) => fmt(s.file.length)).join(', ')}`);
console.log(
  `prepared: ${shot.prepared.width}x${shot.prepared.height} ${shot.prepared.embeddable.mimeType} (${shot.prepared.encoding}), ` +
    `embeddable bytes ${screenshots.map((s) => fmt(s.prepared.embeddable.bytes.length)).join(', ')}`,
);
console.log(
  `text: ${CHUNKS} chunks, ${fmt(chunkChars)} chars in all (mean ${Math.round(chunkChars / CHUNKS)}), client batching: 32 texts / 48,000 chars per request`,
);
for (const f of fallbacks) {
  console.log(
    `warm-up query, server base64 ${f.base64 ? 'on' : 'off'}: ${f.requests} request(s) (${f.refused} refused with 400), ` +
      `${fmt(f.up)} B up, ${fmt(f.down)} B down on the wire`,
  );
}

const row = (item, base64) => rows.find((r) => r.item.startsWith(item) && r.base64 === base64);
const median = (r, key) => medianOf(r.runs.map((run) => run[key]));
const range = (r, key) => (r.runs.length > 1 ? ` (${fmt(Math.min(...r.runs.map((x) => x[key])))}-${fmt(Math.max(...r.runs.map((x) => x[key])))})` : '');

console.log('\nRequests (the client asks for base64; asking for float changes each body by 1 B)');
console.log('| item | requests | request body | request on wire | per item | source bytes | body / source |');
console.log('|---|---|---|---|---|---|---|');
{
  const r = row('1080p', true);
  const body = median(r, 'requestBody');
  console.log(
    `| 1080p screenshot (median of ${r.runs.length}) | 1 | ${fmt(body)} B${range(r, 'requestBody')} | ${fmt(median(r, 'requestWire'))} B | ${fmt(body)} B | ` +
      `raw file ${fmt(rawFile)} B, embeddable ${fmt(embeddable)} B | ${(body / rawFile).toFixed(2)}x file, ${(body / embeddable).toFixed(2)}x embeddable |`,
  );
  const t = row(`${fmt(CHUNKS)} text`, true);
  const tBody = median(t, 'requestBody');
  console.log(
    `| ${fmt(CHUNKS)} text chunks | ${median(t, 'requests')} | ${fmt(tBody)} B | ${fmt(median(t, 'requestWire'))} B | ${fmt(Math.round(tBody / CHUNKS))} B | ` +
      `${fmt(chunkChars)} chars of text | ${(tBody / chunkChars).toFixed(2)}x text |`,
  );
}

console.log('\nResponses (4096-dim vectors)');
console.log('| item | base64: body | base64: on wire | float: body | float: on wire | float / base64 (body) | float per vector |');
console.log('|---|---|---|---|---|---|---|');
for (const [label, item, per] of [
  [`1080p screenshot (median of ${SEEDS.length})`, '1080p', 1],
  [`${fmt(CHUNKS)} text chunks (fake's sparse text vectors)`, `${fmt(CHUNKS)} text`, CHUNKS],
]) {
  const b = row(item, true);
  const f = row(item, false);
  const bBody = median(b, 'responseBody');
  const fBody = median(f, 'responseBody');
  console.log(
    `| ${label} | ${fmt(bBody)} B | ${fmt(median(b, 'responseWire'))} B | ${fmt(fBody)} B | ${fmt(median(f, 'responseWire'))} B | ` +
      `${(fBody / bBody).toFixed(2)}x | ${fmt(Math.round(fBody / per))} B |`,
  );
}
{
  const t = row(`${fmt(CHUNKS)} text`, true);
  const base64 = denseResponseBytes(t.runs[0].batchSizes, 'base64');
  const float = denseResponseBytes(t.runs[0].batchSizes, 'float');
  console.log(
    `| ${fmt(CHUNKS)} text chunks, dense vectors (computed, same ${t.runs[0].batchSizes.length} batches) | ${fmt(base64)} B | - | ${fmt(float)} B | - | ` +
      `${(float / base64).toFixed(2)}x | ${fmt(Math.round(float / CHUNKS))} B |`,
  );
}

/** Response bodies the fake would send for dense random unit vectors in these batches. */
function denseResponseBytes(batchSizes, encoding) {
  let state = 99;
  const random = () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const vector = () => {
    const v = new Float32Array(4096);
    let norm = 0;
    for (let i = 0; i < v.length; i++) {
      v[i] = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < v.length; i++) v[i] /= norm;
    return v;
  };
  let bytes = 0;
  for (const size of batchSizes) {
    const body = lib.embeddingResponseBody(MODEL, Array.from({ length: size }, vector), encoding, size * 400);
    bytes += Buffer.byteLength(JSON.stringify(body));
  }
  return bytes;
}

/** A fake server (no rate limit, no latency) behind a byte-counting proxy, and a client for it. */
async function openSession(base64) {
  const server = await lib.startFakeEmbeddingServer({ base64, maxRecordedRequests: 200 });
  const proxy = await countingProxy(server.port);
  const client = new lib.EmbeddingClient(
    { endpoint: `http://127.0.0.1:${proxy.port}/v1`, model: MODEL, apiKey: 'test-key' },
    { capabilities: new lib.EndpointCapabilities() },
  );
  const reset = () => {
    server.resetStats();
    proxy.reset();
  };
  return {
    async warmUp() {
      reset();
      await client.embedQuery({ text: 'warm-up' });
      const stats = server.stats;
      return { requests: stats.embeddingRequests, refused: stats.statusCounts[400] ?? 0, up: proxy.up, down: proxy.down };
    },
    async measure(inputs) {
      reset();
      const outcomes = await client.embedDocuments(inputs);
      const failed = outcomes.filter((o) => !(o instanceof Float32Array)).length;
      if (failed) throw new Error(`${failed} inputs failed`);
      const records = server.requests.filter((r) => r.path === '/v1/embeddings');
      if (records.some((r) => r.status !== 200)) throw new Error('a request was refused after warm-up');
      const requestWire = proxy.up;
      const responseWire = proxy.down;
      let requestBody = 0;
      let responseBody = 0;
      for (const record of records) {
        const sent = Number(record.headers['content-length']);
        const replayBody = JSON.stringify(record.body);
        // The replay must be the request the client sent, byte for byte in length.
        if (Buffer.byteLength(replayBody) !== sent) throw new Error(`replay is ${Buffer.byteLength(replayBody)} B, the client sent ${sent} B`);
        requestBody += sent;
        const answer = await lib.postEmbeddings(server, replayBody);
        if (answer.status !== 200) throw new Error(`replay answered ${answer.status}`);
        responseBody += Buffer.byteLength(answer.text);
      }
      const batchSizes = records.map((record) => record.embedding.inputs.length);
      return { requests: records.length, batchSizes, requestBody, requestWire, responseBody, responseWire };
    },
    async close() {
      await client.close();
      await proxy.close();
      await server.close();
    },
  };
}

function countingProxy(targetPort) {
  const sockets = new Set();
  const counts = { up: 0, down: 0 };
  const proxy = net.createServer((downstream) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        downstream.destroy();
        upstream.destroy();
      });
    }
    downstream.on('data', (data) => (counts.up += data.length));
    upstream.on('data', (data) => (counts.down += data.length));
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  });
  return new Promise((resolve) => {
    proxy.listen(0, '127.0.0.1', () =>
      resolve({
        port: proxy.address().port,
        get up() {
          return counts.up;
        },
        get down() {
          return counts.down;
        },
        reset() {
          counts.up = 0;
          counts.down = 0;
        },
        close() {
          for (const socket of sockets) socket.destroy();
          return new Promise((done) => proxy.close(() => done()));
        },
      }),
    );
  });
}

/** Deterministic markdown-ish chunks: a heading path, prose, a list, sometimes code. */
function markdownChunks(count, targetChars) {
  let state = 12345;
  const random = () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const words =
    'index workspace image screenshot vector embedding search query result panel markdown section heading page render file folder setting model request batch token limit cache store update change build test release user diagram layout sidebar window theme dark light button click open close the a of to and in for with on is that this from by as be are it'.split(
      ' ',
    );
  const pick = (list) => list[Math.floor(random() * list.length)];
  const sentence = () => {
    const n = 6 + Math.floor(random() * 14);
    const text = Array.from({ length: n }, () => pick(words)).join(' ');
    return text[0].toUpperCase() + text.slice(1) + (random() < 0.15 ? ` \`${pick(words)}.${pick(words)}()\`` : '') + '.';
  };
  const out = [];
  for (let i = 0; i < count; i++) {
    const size = targetChars - 100 + Math.floor(random() * 200);
    let text = `Guide ${1 + (i % 12)} > ${pick(words)} ${pick(words)}\n\n`;
    while (text.length < size) {
      const kind = random();
      if (kind < 0.6) text += `${Array.from({ length: 2 + Math.floor(random() * 3) }, sentence).join(' ')}\n\n`;
      else if (kind < 0.85) text += `${Array.from({ length: 3 }, () => `- ${sentence()}`).join('\n')}\n\n`;
      else text += `\`\`\`ts\nconst ${pick(words)} = await ${pick(words)}(${pick(words)});\n\`\`\`\n\n`;
    }
    out.push(text.slice(0, size).trimEnd());
  }
  return out;
}

function fmt(n) {
  return n.toLocaleString('en');
}
