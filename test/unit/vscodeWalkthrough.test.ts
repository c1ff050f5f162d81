import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { showWhatWillBeSent } from '../../src/vscode/commands/whatWillBeSentCommand';
import type { ExtensionServices } from '../../src/vscode/extensionServices';
import type { ServiceState } from '../../src/vscode/indexService';
import { trackWalkthroughProgress } from '../../src/vscode/walkthroughProgress';
import { EventEmitter } from '../support/fakeVscode/events';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';

/**
 * The getting-started walkthrough: every step links to something that exists and completes on
 * an event Sightline really raises; "see what will be sent" counts files and sends nothing.
 */

const PROJECT = path.resolve(import.meta.dirname, '..', '..');
interface Step {
  id: string;
  description: string;
  media: { markdown: string };
  completionEvents: string[];
}
const manifest = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }>; walkthroughs: Array<{ id: string; steps: Step[] }> };
};

describe('the walkthrough in package.json', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));

  it('has the steps in the order a new user takes them, each with markdown that ships', () => {
    expect(walkthrough!.steps.map((s) => s.id)).toEqual(['apiKey', 'whatIsSent', 'index', 'search', 'similar']);
    for (const step of walkthrough!.steps) {
      expect(step.media.markdown.startsWith('media/'), step.id).toBe(true);
      expect(existsSync(path.join(PROJECT, step.media.markdown)), step.media.markdown).toBe(true);
    }
  });

  it('links only to commands Sightline declares or VS Code has, and completes each step on something that happens', () => {
    for (const step of walkthrough!.steps) {
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)/g)) {
        expect(declared.has(command!) || ['workbench.action.openSettings', 'workbench.view.explorer'].includes(command!), `${step.id}: ${command}`).toBe(true);
      }
      expect(step.completionEvents.length, step.id).toBeGreaterThan(0);
    }
    expect(walkthrough!.steps.map((s) => s.completionEvents)).toEqual([
      ['onContext:sightline.hasApiKey'],
      ['onCommand:sightline.showWhatWillBeSent'],
      ['onContext:sightline.indexed'],
      ['onContext:sightline.searched'],
      ['onContext:sightline.foundSimilar'],
    ]);
  });
});

describe('walkthrough progress', () => {
  beforeEach(() => resetFake());

  it('sets the context keys the steps complete on, as the key, the index and searches arrive', async () => {
    const states = new EventEmitter<ServiceState>();
    const searches = new EventEmitter<'query' | 'similar'>();
    const keyChanges = new EventEmitter<void>();
    let hasKey = false;
    const service = { state: { kind: 'empty' } as ServiceState, onDidChangeState: states.event, onDidSearch: searches.event, hasKey: async () => hasKey };
    const tracking = trackWalkthroughProgress({ service, keys: { onDidChange: keyChanges.event } } as unknown as ExtensionServices);
    const contexts = () => Object.fromEntries(fake.commands.executed.filter((c) => c.id === 'setContext').map((c) => [c.args[0], c.args[1]]));
    await vi.waitFor(() => expect(contexts()).toEqual({ 'sightline.hasApiKey': false, 'sightline.indexed': false }));
    hasKey = true;
    keyChanges.fire();
    service.state = { kind: 'ready', files: 2, items: 5 };
    states.fire(service.state);
    searches.fire('query');
    searches.fire('similar');
    await vi.waitFor(() =>
      expect(contexts()).toEqual({ 'sightline.hasApiKey': true, 'sightline.indexed': true, 'sightline.searched': true, 'sightline.foundSimilar': true }),
    );
    tracking.dispose();
    expect(states.listenerCount + searches.listenerCount + keyChanges.listenerCount).toBe(0);
  });
});

describe('Show What Will Be Sent', () => {
  let root: string;
  beforeEach(async () => {
    resetFake();
    root = await fs.mkdtemp(path.join(tmpdir(), 'sightline-sent-'));
    await fs.writeFile(path.join(root, 'a.png'), Buffer.alloc(2048));
    await fs.writeFile(path.join(root, 'notes.md'), '# Notes\n');
    await fs.writeFile(path.join(root, '.gitignore'), 'private/\n');
    await fs.mkdir(path.join(root, 'private'));
    await fs.writeFile(path.join(root, 'private', 'secret.png'), Buffer.alloc(10));
    fake.workspace.setFolders([root]);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('counts what indexing would send and where, asks nothing, and offers Index Workspace', async () => {
    const consent = { granted: () => false };
    await showWhatWillBeSent({ service: { hasWorkspace: true }, consent } as unknown as ExtensionServices);
    const [shown] = fake.window.messages;
    expect(shown).toMatchObject({
      level: 'info',
      message: 'What Sightline sends to openai.inference.de-txl.ionos.com',
      options: { modal: true },
      items: ['Index Workspace'],
    });
    expect(shown!.options!.detail).toContain(
      'Index Workspace would send 1 image and 1 markdown file (2 KB before downscaling) to openai.inference.de-txl.ionos.com',
    );
    expect(shown!.options!.detail).toContain('Index Workspace asks before it sends anything.');
    expect(fake.commands.executed).toEqual([]);
    fake.window.answerMessage = () => 'Index Workspace';
    await showWhatWillBeSent({ service: { hasWorkspace: true }, consent } as unknown as ExtensionServices);
    expect(fake.commands.executed.map((c) => c.id)).toEqual(['sightline.indexWorkspace']);
  });
});
