import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { reencodeImage, renderSyntheticScreenshot } from './fakeServer/syntheticImages';
import { reportPdf } from './fixtures/pdfFixtures';

/**
 * A small workspace like the ones Sightline indexes: screenshots (one with a resized JPEG copy),
 * markdown with nested headings, several languages and an image reference, a PDF, plus files
 * that must be left alone (node_modules, .gitignore'd folders).
 */
export interface WorkspaceFixture {
  readonly root: string;
  readonly loginPng: Buffer;
  write(relativePath: string, content: string | Uint8Array): Promise<void>;
  remove(): Promise<void>;
}

export const GUIDE_MD = `---
title: Operator Guide
tags: [ops, onboarding]
---
# Operator Guide

Welcome to the operator guide for the control plane. This guide walks through installing the
service, signing in for the first time, and what to do when the dashboard reports a problem.
Each chapter stands on its own, so jump to the one you need.

## Installation

Run the installer with \`npm install -g controlplane\` and check the version.
The installer needs Node 20 and writes its settings to the home folder. Upgrades use the same
command; the installer keeps existing settings and migrates them when the format changes.

### Linux

On Linux the service runs under systemd; enable it with systemctl enable controlplane.
Logs are written to the journal and can be followed with journalctl. The unit restarts the
service automatically after a crash, with a short delay between attempts.

## Login

![Login screen with username and password fields](../images/login-screen.png)

The login screen asks for a username and password. Single sign-on is offered too. After three
failed attempts the account is locked for fifteen minutes and an administrator is notified.

## Troubleshooting

If the dashboard shows a red banner, the database connection failed: check parseConfigFile output.
A yellow banner means the certificate expires within a week; renew it from the settings page
before it lapses, or the agents will stop reporting.
`;

export const INTL_MD = `# Internationalisierung

## Datenbank sichern

Die Datenbank wird jede Nacht automatisch gesichert. Sicherungen liegen im Ordner backup.

## 設定

設定ファイルはホームディレクトリにあります。変更後はサービスを再起動してください。
`;

export async function createWorkspaceFixture(): Promise<WorkspaceFixture> {
  const root = await fs.mkdtemp(path.join(tmpdir(), 'sightline-ws-'));
  const write = async (relativePath: string, content: string | Uint8Array) => {
    const file = path.join(root, relativePath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  };
  const loginPng = await renderSyntheticScreenshot(1, { width: 1280, height: 800 });
  await write('images/login-screen.png', loginPng);
  await write('images/dashboard.png', await renderSyntheticScreenshot(2, { width: 1280, height: 800 }));
  await write('images/settings.png', await renderSyntheticScreenshot(3, { width: 900, height: 700 }));
  await write('exports/login-small.jpg', await reencodeImage(loginPng, { width: 640, height: 400, format: 'jpeg' }));
  await write('docs/guide.md', GUIDE_MD);
  await write('docs/intl.md', INTL_MD);
  await write('reports/quarterly.pdf', reportPdf(3));
  await write('node_modules/pkg/logo.png', await renderSyntheticScreenshot(4, { width: 64, height: 64 }));
  await write('build/out.png', await renderSyntheticScreenshot(5, { width: 64, height: 64 }));
  await write('.gitignore', 'build/\n');
  await write('src/main.ts', 'export {};\n');
  return { root, loginPng, write, remove: () => fs.rm(root, { recursive: true, force: true }) };
}
