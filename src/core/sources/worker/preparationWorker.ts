import { parentPort } from 'node:worker_threads';
import { servePreparation } from './servePreparation';

// Entry of dist/preparationWorker.js: decodes images and renders PDF pages for the main thread.
if (!parentPort) throw new Error('preparationWorker.js runs as a worker thread');
servePreparation(parentPort);
