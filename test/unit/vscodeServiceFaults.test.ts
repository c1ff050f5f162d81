import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SightlineService } from '../../src/vscode/sightlineService';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { fake } from '../support/fakeVscode/fakeHost';
import { type FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { serviceWithKey, windowOnEndpoint } from '../support/fakeVscode/serviceWindow';

/**
 * The extension's service against a server that rejects a file or echoes the API key: a failed
 * file waits until Retry Failed Files asks for it, and no key or endpoint password reaches the
 * log, the report, the problem list or the index's files.
 */

const KEY = 'sk-window-0123456789abcdef';

let server: FakeEmbeddingServer;
let workspace: string;
let indexDir: string;
let log: FakeLogOutputChannel;
let service: SightlineService;
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;

beforeAll(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 64, apiKey: KEY });
});
afterAll(async () => {
  await server?.close();
});

async function serviceFor(endpoint: string): Promise<SightlineService> {
  const window = await serviceWithKey(indexDir, endpoint, KEY);
  log = window.log;
  return window.service;
}

beforeEach(async () => {
  // Markdown only: images and PDFs go through worker threads whose bundle the unit tests do not build.
  workspace = await fs.mkdtemp(path.join(tmpdir(), 'sightline-service-faults-'));
  indexDir = path.join(workspace, '..', `${path.basename(workspace)}-index`);
  await fs.writeFile(path.join(workspace, 'relay.md'), '# Relay\n\nRestart the relay after the firmware update.\n');
  await fs.writeFile(path.join(workspace, 'fuse.md'), '# Fuse\n\nCheck fuse 7 before you power on.\n');
  windowOnEndpoint(server.baseUrl, [workspace]);
  server.resetStats();
  server.setFaultPredicate(undefined);
  service = await serviceFor(server.baseUrl);
});
afterEach(async () => {
  await service.dispose();
  await fs.rm(workspace, { recursive: true, force: true });
  await fs.rm(indexDir, { recursive: true, force: true });
});

describe('the extension service', () => {
  it('tries a file the server rejected once more, then leaves it until Retry Failed Files', async () => {
    let rejected = 0;
    server.setFaultPredicate(({ texts }) =>
      texts.some((t) => t.includes('fuse 7')) ? (rejected++, { kind: 'status', status: 400, message: 'input rejected' }) : undefined,
    );
    const first = await service.index(() => undefined, token);
    expect(first.failed.map((f) => f.path)).toEqual(['fuse.md']);
    const afterFirst = rejected;
    expect(afterFirst).toBeGreaterThan(0);

    await service.index(() => undefined, token);
    expect(rejected, 'the next run tries the failed file again').toBeGreaterThan(afterFirst);
    const afterSecond = rejected;

    server.resetStats();
    const third = await service.index(() => undefined, token);
    expect(rejected, 'then it is left alone while unchanged').toBe(afterSecond);
    expect(server.stats.embeddingRequests).toBe(0);
    expect(third.failed).toEqual([]);
    expect((await service.problems()).map((p) => p.path)).toContain('fuse.md');

    server.setFaultPredicate(undefined);
    const retried = await service.index(() => undefined, token, undefined, { retryFailed: true });
    expect(retried.failed).toEqual([]);
    expect(retried.itemsEmbedded).toBeGreaterThan(0);
    expect((await service.problems()).map((p) => p.path)).not.toContain('fuse.md');
  });

  it('keeps a key the server echoes out of the log, the report, the problem list and the index', async () => {
    server.setFaultPredicate(({ headers }) => ({
      kind: 'status',
      status: 400,
      message: `bad request, you sent Authorization: ${String(headers.authorization)} (key ${KEY})`,
    }));
    const report = await service.index(() => undefined, token);
    expect(report.failed).toHaveLength(2);
    const logged = log.lines.map((l) => l.message).join('\n');
    expect(logged).toContain('Authorization: Bearer [redacted]');
    const shown = [logged, JSON.stringify(report), JSON.stringify(await service.problems())];
    for (const name of await fs.readdir(indexDir)) {
      const stat = await fs.stat(path.join(indexDir, name));
      if (stat.isFile()) shown.push(await fs.readFile(path.join(indexDir, name), 'latin1'));
    }
    for (const text of shown) expect(text).not.toContain(KEY);
  });

  it('never shows the password of an endpoint URL with credentials', async () => {
    const url = new URL(server.baseUrl);
    [url.username, url.password] = ['alice', 'hunter2-secret'];
    fake.settings.setUser('sightline.endpoint', url.toString());
    await service.dispose();
    service = await serviceFor(url.toString());
    server.setFaultPredicate(() => ({ kind: 'status', status: 401, message: 'who are you' }));
    const outcome = await service
      .index(() => undefined, token)
      .then(
        (report) => JSON.stringify(report),
        (error: unknown) => String(error),
      );
    const search = await service.search({ text: 'relay' }, { top: 3 }).then(
      (answer) => JSON.stringify(answer),
      (error: unknown) => String(error),
    );
    for (const text of [outcome, search, log.lines.map((l) => l.message).join('\n')]) expect(text).not.toContain('hunter2-secret');
    expect(outcome).toMatch(/401/);
  });
});
