import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { indexIdentityFrom } from '../../src/core/settings/sightlineSettings';
import { splitMarkdown } from '../../src/core/sources/markdown/splitMarkdown';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { createDocsSite, type DocsSite, INTRO_MDX, SHARING_MDX } from '../support/fixtures/docusaurusSite';
import { indexOnce, testSettings } from '../support/indexHarness';

const lineOf = (source: string, text: string) => source.split('\n').findIndex((line) => line.includes(text)) + 1;

describe('MDX read as its prose', () => {
  const intro = splitMarkdown(INTRO_MDX, { mdx: true });
  const all = intro.sections.map((s) => s.text).join('\n');

  it('keeps the prose of tabs, admonitions and components, and drops imports, exports, tags and comments', () => {
    expect(intro.title).toBe('Getting started');
    for (const prose of [
      'Sightline finds the screenshot you half remember, by describing it.',
      "Install the package with your distribution's package manager, then run the setup wizard once.",
      'Use Homebrew: the formula installs the command-line tool together with the shell completions.',
      'Tip: Use the dark theme',
      'switch it on',
    ]) {
      expect(all).toContain(prose);
    }
    for (const code of [
      'import ',
      'export const',
      'backgroundColor',
      '<Tabs',
      '<TabItem',
      '</TabItem>',
      'groupId',
      '{/*',
      "it's the landing text",
      ':::',
      '<Highlight',
    ]) {
      expect(all, code).not.toContain(code);
    }
  });

  it('keeps the file’s line numbers for sections and headings', () => {
    const settings = intro.sections.find((s) => s.headingPath.at(-1) === 'Settings')!;
    expect(settings.startLine).toBe(lineOf(INTRO_MDX, '## Settings'));
    expect(intro.headings.map((h) => [h.text, h.line + 1])).toEqual([
      ['Install', lineOf(INTRO_MDX, '## Install')],
      ['Settings', lineOf(INTRO_MDX, '## Settings')],
    ]);
  });

  it('finds images shown through JSX, imported, required, themed and served from static', () => {
    expect(intro.imageReferences.map((r) => [r.target, r.alt, r.line, r.headingPath.at(-1)])).toEqual([
      ['./assets/settings-panel.png', 'The settings panel with the theme switch', lineOf(INTRO_MDX, '<img'), 'Settings'],
      ['/img/dashboard-dark.png', 'Dashboard in dark mode', lineOf(INTRO_MDX, '![Dashboard'), 'Settings'],
      ['/img/logo.svg', 'Sightline logo', lineOf(INTRO_MDX, '<ThemedImage'), 'Settings'],
      ['./assets/first-run.png', 'First run dialog', lineOf(INTRO_MDX, "require('./assets/first-run.png')"), 'Settings'],
    ]);
    const sharing = splitMarkdown(SHARING_MDX, { mdx: true });
    expect(sharing.imageReferences.map((r) => [r.target, r.alt])).toEqual([['../assets/share-dialog.png', 'Share dialog with the copy link button']]);
    expect(sharing.sections.map((s) => s.text).join('\n')).toContain('The API key is never part of an index you share');
  });

  it('leaves code fences and inline code alone', () => {
    const doc = splitMarkdown('# Page\n\nUse `<Tabs>` like this:\n\n```jsx\nimport Tabs from "@theme/Tabs";\n<Tabs>{items}</Tabs>\n```\n', { mdx: true });
    expect(doc.sections[0]!.text).toContain('`<Tabs>`');
    expect(doc.sections[0]!.text).toContain('import Tabs from "@theme/Tabs";\n<Tabs>{items}</Tabs>');
  });
});

describe('a Docusaurus-style docs site', () => {
  let server: FakeEmbeddingServer;
  let site: DocsSite;
  beforeAll(async () => {
    [server, site] = await Promise.all([startFakeEmbeddingServer({ dimensions: 64 }), createDocsSite()]);
  });
  afterAll(async () => {
    await server.close();
    await site.remove();
  });

  it('indexes each page with its figures and reports no problems', async () => {
    const indexDir = path.join(site.root, '.sightline');
    const report = await indexOnce(site.root, indexDir, testSettings(server));
    expect(report.failed).toEqual([]);
    expect(report.warnings).toEqual([]);
    const store = await IndexStore.open(indexDir, indexIdentityFrom(testSettings(server)));
    try {
      const figures = (file: string) =>
        store.catalog
          .getFile('', file)!
          .items.filter((i) => i.part === 'figure')
          .map((i) => [i.target, i.line, i.text]);
      expect(figures('website/docs/intro.mdx')).toEqual([
        ['website/docs/assets/settings-panel.png', lineOf(INTRO_MDX, '<img'), 'The settings panel with the theme switch\nSettings'],
        ['website/static/img/dashboard-dark.png', lineOf(INTRO_MDX, '![Dashboard'), 'Dashboard in dark mode\nSettings'],
        ['website/static/img/logo.svg', lineOf(INTRO_MDX, '<ThemedImage'), 'Sightline logo\nSettings'],
        ['website/docs/assets/first-run.png', lineOf(INTRO_MDX, 'first-run.png'), 'First run dialog\nSettings'],
      ]);
      expect(figures('website/docs/guides/sharing.mdx')).toEqual([
        ['website/docs/assets/share-dialog.png', lineOf(SHARING_MDX, '<Image'), 'Share dialog with the copy link button\nCopying the folder'],
      ]);
      const sent = server.requests
        .flatMap((r) => r.embedding?.inputs ?? [])
        .map((i) => i.text)
        .join('\n');
      expect(sent).not.toMatch(/import |export const|<TabItem|@theme/);
      expect(store.catalog.getFile('', 'website/docs/intro.mdx')!.title).toBe('Getting started');
    } finally {
      await store.close();
    }
  });
});
