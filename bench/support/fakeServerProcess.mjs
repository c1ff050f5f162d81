// Runs the fake embeddings server in a child process, so a benchmark's own measurements (event
// loop, memory, CPU) are not polluted by the server's work. Prints its base URL on stdout.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts the server child with these options; resolves to { baseUrl, stop() }. */
export function startFakeServerProcess(options = {}) {
  const child = fork(path.join(here, 'fakeServerChild.mjs'), [JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
    child.on('message', (message) => {
      if (message?.baseUrl) {
        child.removeAllListeners('exit');
        resolve({
          baseUrl: message.baseUrl,
          stats: () =>
            new Promise((done) => {
              child.once('message', done);
              child.send('stats');
            }),
          stop: () =>
            new Promise((done) => {
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}
