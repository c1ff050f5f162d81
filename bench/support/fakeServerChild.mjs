// The child side of fakeServerProcess.mjs.
import { bundleSources } from './bundleSources.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const { startFakeEmbeddingServer } = await bundleSources('test/support/fakeServer/fakeEmbeddingServer.ts');
const server = await startFakeEmbeddingServer({ maxRecordedRequests: 0, ...options });
process.send({ baseUrl: server.baseUrl });
process.on('message', (message) => {
  if (message === 'stats') process.send({ stats: server.stats });
});
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
