// The child side of fakeServerProcess.mjs.
//
// `faultSchedule` (bench only, as JSON cannot carry a predicate): [{ every: 9, fault: {...} }, ...]
// answers every Nth embeddings request that the rate limiter let through with that fault
// (the first entry wins when two fall on one request). The child also counts, over the
// requests it answered normally, how many were text batches and how many texts they carried.
import { bundleSources } from './bundleSources.mjs';

const { faultSchedule = [], ...options } = JSON.parse(process.argv[2] ?? '{}');
const { startFakeEmbeddingServer } = await bundleSources('test/support/fakeServer/fakeEmbeddingServer.ts');
const server = await startFakeEmbeddingServer({ maxRecordedRequests: 0, ...options });
const answered = { textRequests: 0, texts: 0, conversationRequests: 0, faulted: 0 };
let seen = 0;
server.setFaultPredicate(({ request }) => {
  seen++;
  const scheduled = faultSchedule.find((entry) => seen % entry.every === 0);
  if (scheduled) {
    answered.faulted++;
    return scheduled.fault;
  }
  if (request.form === 'input') {
    answered.textRequests++;
    answered.texts += request.inputs.length;
  } else {
    answered.conversationRequests++;
  }
  return undefined;
});
process.send({ baseUrl: server.baseUrl });
process.on('message', (message) => {
  if (message === 'stats') process.send({ stats: { ...server.stats, answered: { ...answered } } });
});
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
