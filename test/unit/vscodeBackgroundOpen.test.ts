import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceState } from '../../src/vscode/indexService';
import { type SightlineService } from '../../src/vscode/sightlineService';
import { statusText } from '../../src/vscode/statusBar';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { serviceWithKey, windowOnEndpoint } from '../support/fakeVscode/serviceWindow';

/**
 * A window that starts on an existing index opens it in the background: the status bar says
 * "opening index" meanwhile, then the counts; a search that comes first waits for that open
 * instead of starting another, and a window without an index opens (and creates) nothing.
 */

const KEY = 'sk-background-open-0123456789';
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;

let server: FakeEmbeddingServer;
let workspace: string;
let indexDir: string;
const services: SightlineService[] = [];

beforeAll(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 64, apiKey: KEY });
});
afterAll(async () => {
  await server?.close();
});

async function newWindow(): Promise<{ service: SightlineService; states: ServiceState[] }> {
  const { service } = await serviceWithKey(indexDir, server.baseUrl, KEY);
  services.push(service);
  const states: ServiceState[] = [];
  service.onDidChangeState((state) => states.push(state));
  return { service, states };
}

beforeEach(async () => {
  // Markdown only: images and PDFs go through worker threads whose bundle the unit tests do not build.
  workspace = await fs.mkdtemp(path.join(tmpdir(), 'sightline-background-open-'));
  indexDir = path.join(workspace, '..', `${path.basename(workspace)}-index`);
  for (let i = 0; i < 40; i++) await fs.writeFile(path.join(workspace, `runbook-${i}.md`), `# Runbook ${i}\n\nRestart worker ${i} after the queue drains.\n`);
  await fs.writeFile(path.join(workspace, 'relay.md'), '# Relay\n\nRestart the relay after the firmware update.\n');
  windowOnEndpoint(server.baseUrl, [workspace]);
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.dispose()));
  await fs.rm(workspace, { recursive: true, force: true });
  await fs.rm(indexDir, { recursive: true, force: true });
});

async function indexOnce(): Promise<void> {
  const { service } = await newWindow();
  const report = await service.index(() => undefined, token);
  expect(report.failed).toEqual([]);
  await service.dispose();
}

describe('a window opening an existing index', () => {
  it('says "opening index" while it opens in the background, then shows the counts', async () => {
    await indexOnce();
    const { service, states } = await newWindow();
    await service.openInBackground();
    const opening = states.findIndex((state) => state.kind === 'ready' && state.opening);
    expect(opening, JSON.stringify(states)).toBeGreaterThanOrEqual(0);
    expect(statusText(states[opening]!).text).toBe('$(sync~spin) Sightline: opening index');
    expect(states.at(-1)).toEqual({ kind: 'ready', files: 41, items: 41 });
    expect(statusText(states.at(-1)!).text).toBe('$(search) Sightline: 41 items');

    // Opened for this window as its writer, search tables built: a search needs only the query's vector.
    server.resetStats();
    const { results } = await service.search({ text: 'restart the relay after a firmware update' }, { top: 3 });
    expect(results[0]?.path).toBe('relay.md');
    expect(server.stats.requests).toBe(1);
    expect(service.isFollowing).toBe(false);
  });

  it('lets a search that comes first wait for the same open, not start a second one', async () => {
    await indexOnce();
    const { service, states } = await newWindow();
    const background = service.openInBackground();
    const searched = service.search({ text: 'restart the relay after a firmware update' }, { top: 3 });
    const [{ results }] = await Promise.all([searched, background]);
    expect(results[0]?.path).toBe('relay.md');
    // A second open in this window would have found the first holding the writer's lock and
    // followed it read-only.
    expect(service.isFollowing).toBe(false);
    expect(states.at(-1)).toMatchObject({ kind: 'ready', items: 41 });
    expect(states.at(-1)).not.toHaveProperty('opening');
  });

  it('opens nothing, and creates no index folder, where there is no index yet', async () => {
    const { service, states } = await newWindow();
    await service.openInBackground();
    expect(states).toEqual([{ kind: 'empty' }]);
    await expect(fs.stat(indexDir)).rejects.toThrow();
  });
});
