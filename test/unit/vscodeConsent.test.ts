import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type SightlineSettings } from '../../src/core/settings/sightlineSettings';
import { describeCounts, formatSize, UploadConsent } from '../../src/vscode/uploadConsent';
import { CancellationTokenSource } from '../support/fakeVscode/events';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { FakeMemento } from '../support/fakeVscode/storage';

/**
 * Nothing is uploaded before the user has seen how much of what goes where: the modal names the
 * host and the counts by kind and total size, and the answer holds for that host only.
 */

const ALLOW = 'Allow and Index';
let root: string;

// 2 images, 2 markdown files and a PDF: 1,572,864 bytes, exactly 1.5 MiB. Ignored files do not count.
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(tmpdir(), 'sightline-consent-'));
  const files: Record<string, number> = {
    'images/a.png': 700_000,
    'images/b.jpg': 300_000,
    'docs/guide.md': 2_000,
    'docs/notes.md': 864,
    'reports/r.pdf': 570_000,
    'node_modules/pkg/logo.png': 5_000,
    'ignored/c.png': 5_000,
    'drafts/d.png': 5_000,
    'src/main.ts': 100,
  };
  for (const [file, size] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), Buffer.alloc(size, 1));
  }
  await fs.writeFile(path.join(root, '.gitignore'), 'ignored/\n');
  // Counting loads the core on first use; load it here so no single test pays for compiling it.
  await import('../../src/vscode/lazyCore');
}, 120_000);
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});
beforeEach(resetFake);

function settings(endpoint: string): SightlineSettings {
  return { ...DEFAULT_SETTINGS, endpoint, exclude: ['drafts/**'] };
}

function freshConsent() {
  const state = new FakeMemento();
  return { state, consent: new UploadConsent(state) };
}

const token = () => new CancellationTokenSource().token as unknown as vscode.CancellationToken;
const roots = () => [{ key: '', path: root }];

describe('UploadConsent', () => {
  it('asks once, in a modal naming the host, the counts by kind and the size', async () => {
    const { consent } = freshConsent();
    fake.window.answerMessage = () => ALLOW;
    expect(await consent.ensure(settings('https://embed.example.com/v1'), roots(), token())).toBe(true);
    expect(fake.window.messages).toHaveLength(1);
    const [asked] = fake.window.messages;
    expect(asked!.message).toBe('Send workspace files to embed.example.com?');
    expect(asked!.options?.modal).toBe(true);
    expect(asked!.options?.detail).toContain(
      'Sightline will send 2 images, 2 markdown files and 1 PDF (1.5 MB before downscaling) from this workspace to embed.example.com',
    );
    expect(asked!.items).toEqual([ALLOW]);

    expect(await consent.ensure(settings('https://embed.example.com/other/v1'), roots(), token())).toBe(true);
    expect(consent.granted('https://embed.example.com/v1')).toBe(true);
    expect(fake.window.messages).toHaveLength(1);
  });

  it('asks again for a different host', async () => {
    const { consent } = freshConsent();
    fake.window.answerMessage = () => ALLOW;
    await consent.ensure(settings('https://embed.example.com/v1'), roots(), token());
    expect(consent.granted('https://elsewhere.example.org/v1')).toBe(false);
    expect(await consent.ensure(settings('https://elsewhere.example.org/v1'), roots(), token())).toBe(true);
    expect(fake.window.messages.map((m) => m.message)).toEqual([
      'Send workspace files to embed.example.com?',
      'Send workspace files to elsewhere.example.org?',
    ]);
    // One host at a time: consent follows the endpoint, it does not accumulate.
    expect(consent.granted('https://elsewhere.example.org/v1')).toBe(true);
    expect(consent.granted('https://embed.example.com/v1')).toBe(false);
  });

  it('returns false and remembers nothing when the user declines or dismisses', async () => {
    const { consent, state } = freshConsent();
    fake.window.answerMessage = () => undefined;
    expect(await consent.ensure(settings('https://embed.example.com/v1'), roots(), token())).toBe(false);
    fake.window.answerMessage = () => 'Cancel';
    expect(await consent.ensure(settings('https://embed.example.com/v1'), roots(), token())).toBe(false);
    expect(state.keys()).toEqual([]);
    expect(consent.granted('https://embed.example.com/v1')).toBe(false);
    expect(fake.window.messages).toHaveLength(2);
  });

  it('asks again after revoke', async () => {
    const { consent } = freshConsent();
    fake.window.answerMessage = () => ALLOW;
    await consent.ensure(settings('https://embed.example.com/v1'), roots(), token());
    await consent.revoke();
    expect(consent.granted('https://embed.example.com/v1')).toBe(false);
    await consent.ensure(settings('https://embed.example.com/v1'), roots(), token());
    expect(fake.window.messages).toHaveLength(2);
  });

  // Fails today: cancelling the "counting files" progress makes ensure() reject with an AbortError,
  // which surfaces as a failed command. Cancelling is an answer of "not now", like declining.
  it('treats cancelling the count as declining, without asking', async () => {
    const { consent } = freshConsent();
    const source = new CancellationTokenSource();
    source.cancel();
    expect(await consent.ensure(settings('https://embed.example.com/v1'), roots(), source.token as unknown as vscode.CancellationToken)).toBe(false);
    expect(fake.window.messages).toEqual([]);
  });

  it('counts only what the include setting selects', async () => {
    const { consent } = freshConsent();
    await consent.ensure({ ...settings('https://embed.example.com/v1'), include: ['docs/**'] }, roots(), token());
    expect(fake.window.messages[0]!.options?.detail).toContain('send 2 markdown files (3 KB before downscaling)');
  });
});

describe('describeCounts and formatSize', () => {
  it('lists the kinds present, in words', () => {
    expect(describeCounts({ image: 0, markdown: 0, pdf: 0, notebook: 0, bytes: 0 })).toBe('no files');
    expect(describeCounts({ image: 1, markdown: 0, pdf: 0, notebook: 0, bytes: 0 })).toBe('1 image');
    expect(describeCounts({ image: 1200, markdown: 0, pdf: 1, notebook: 0, bytes: 0 })).toBe('1,200 images and 1 PDF');
    expect(describeCounts({ image: 2, markdown: 1, pdf: 3, notebook: 0, bytes: 0 })).toBe('2 images, 1 markdown file and 3 PDFs');
    expect(describeCounts({ image: 2, markdown: 1, pdf: 0, notebook: 4, bytes: 0 })).toBe('2 images, 1 markdown file and 4 notebooks');
  });

  it('uses KB below a MiB, MB below a GiB, GB above', () => {
    expect(formatSize(0)).toBe('1 KB');
    expect(formatSize(10 * 1024)).toBe('10 KB');
    expect(formatSize(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatSize(3 * 1024 ** 3)).toBe('3.00 GB');
  });
});
