import { promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { activate } from '../../src/extension';
import { registerCommand } from '../../src/vscode/registerCommand';
import { commands } from '../support/fakeVscode/commands';
import { fakeExtensionContext, type FakeExtensionContext } from '../support/fakeVscode/context';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { FakeLogOutputChannel } from '../support/fakeVscode/outputs';
import { Uri } from '../support/fakeVscode/uri';

/**
 * VS Code serialises what a command handler returns and sends it to whoever ran the command,
 * the command palette included: a handler that returned the search panel object once made the
 * extension host serialise hundreds of megabytes. Every contributed command, run through the
 * fake VS Code API the way the palette runs it, must return nothing or a little plain data.
 */

const PROJECT = path.resolve(import.meta.dirname, '..', '..');
const contributed = (
  JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } }
).contributes.commands.map((c) => c.command);
/** A result this size is already suspicious; real ones are undefined. */
const MAX_RESULT_BYTES = 1024;

let workspace: string;
let storage: string;
let extension: FakeExtensionContext;

beforeAll(async () => {
  await import('../../src/vscode/lazyCore');
}, 120_000);

beforeEach(async () => {
  resetFake();
  workspace = await fs.mkdtemp(path.join(tmpdir(), 'sightline-results-ws-'));
  storage = await fs.mkdtemp(path.join(tmpdir(), 'sightline-results-storage-'));
  await fs.mkdir(path.join(workspace, 'shots'));
  await fs.writeFile(path.join(workspace, 'shots', 'a.png'), Buffer.from('not indexed'));
  fake.workspace.setFolders([workspace]);
  extension = fakeExtensionContext({ extensionPath: PROJECT, storagePath: storage });
  activate(extension.context);
});
afterEach(async () => {
  for (const panel of fake.window.panels) panel.dispose();
  for (const subscription of extension.subscriptions.splice(0)) await subscription.dispose();
  await fs.rm(workspace, { recursive: true, force: true, maxRetries: 5 });
  await fs.rm(storage, { recursive: true, force: true, maxRetries: 5 });
});

/** What the palette would receive: the value must survive structured cloning and be small. */
function checkSerialisable(id: string, value: unknown): void {
  expect(() => structuredClone(value), id).not.toThrow();
  const json = value === undefined ? '' : JSON.stringify(value);
  expect(json.length, `${id} returned ${json.slice(0, 200)}`).toBeLessThanOrEqual(MAX_RESULT_BYTES);
}

describe('every contributed command', () => {
  it.each(contributed)('%s returns nothing or small plain data', async (id) => {
    const args = id === 'sightline.findSimilarImages' ? [Uri.file(path.join(workspace, 'shots', 'a.png'))] : [];
    const value = await commands.executeCommand(id, ...args);
    checkSerialisable(id, value);
    expect(value, id).toBeUndefined();
  });

  it('covers every command package.json contributes', () => {
    expect([...fake.commands.registered.keys()].sort()).toEqual([...contributed].sort());
    expect(contributed).toContain('sightline.openSearchPanel');
  });

  it('opens the search panel from its command and still returns nothing', async () => {
    const value = await commands.executeCommand('sightline.openSearchPanel');
    expect(fake.window.panels).toHaveLength(1);
    expect(value).toBeUndefined();
  });
});

describe('registerCommand', () => {
  it('drops what the handler returns, and turns a failure into one notification and a log line', async () => {
    const log = new FakeLogOutputChannel('Sightline');
    const channel = log as unknown as vscode.LogOutputChannel;
    const registrations = [
      registerCommand(channel, 'test.returnsObject', () => ({ panel: { webview: { html: 'x'.repeat(10_000) } } })),
      registerCommand(channel, 'test.fails', async () => {
        throw new Error('the index is damaged');
      }),
    ];
    try {
      expect(await commands.executeCommand('test.returnsObject')).toBeUndefined();
      await expect(commands.executeCommand('test.fails')).resolves.toBeUndefined();
      expect(fake.window.messages).toMatchObject([{ level: 'error', message: 'Sightline: the index is damaged' }]);
      expect(log.lines).toEqual([{ level: 'error', message: 'test.fails: the index is damaged' }]);
    } finally {
      for (const registration of registrations) registration.dispose();
    }
  });
});
