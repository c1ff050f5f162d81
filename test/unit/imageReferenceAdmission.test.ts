import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Indexer } from '../../src/core/index/indexer/indexer';
import type { IndexReport } from '../../src/core/index/indexer/indexReport';
import { IndexStore } from '../../src/core/index/store/indexStore';
import { indexerOptionsFrom, indexIdentityFrom } from '../../src/core/settings/sightlineSettings';
import { type FakeEmbeddingServer, startFakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { solidPng, pngDeclaring } from '../support/fixtures/imageFixtures';
import { testClient, testSettings } from '../support/indexHarness';

/**
 * A hostile repository: a README that points at images no walk would yield (ignored, excluded,
 * outside the root, behind links out of it, over the caps). None of them may be read, sent or
 * thumbnailed; each is a warning naming its line and why.
 */

let server: FakeEmbeddingServer;
let scratch: string;
let root: string;
let indexDir: string;

/** Every hostile image has its own size, so an upload of any of them would show in the server's log. */
const HOSTILE_SIZES = [
  [301, 211],
  [302, 212],
  [303, 213],
  [304, 214],
  [305, 215],
  [306, 216],
  [307, 217],
  [308, 218],
] as const;

const README = `# Release notes

Screens from the release, as the marketing page shows them.

![gitignored](private/x.png)
![vendored](node_modules/pkg/shot.png)
![sightlineignored](secret/plan.png)
![excluded by glob](drafts/wip.png)
![climbs out](../outside.png)
![link out](linked-out.png)
<img src="shared/leak.png" alt="folder link out">
![too big](big/huge.png)
![bomb](bomb.png)
![[private-note.png]]
![fine](shots/ok.png)
`;

beforeAll(async () => {
  server = await startFakeEmbeddingServer({ dimensions: 64 });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-hostile-'));
  root = path.join(scratch, 'repo');
  indexDir = path.join(scratch, 'index');
  const write = async (relativePath: string, content: string | Uint8Array) => {
    const file = path.join(root, relativePath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  };
  const hostile = await Promise.all(HOSTILE_SIZES.map(([w, h], i) => solidPng(w, h, `#${(0x102030 * (i + 1)).toString(16).padStart(6, '0').slice(-6)}`)));
  await fs.mkdir(path.join(root, '.git'), { recursive: true });
  await write('.gitignore', 'private/\nprivate-note.png\n');
  await write('.sightlineignore', 'secret/\n');
  await write('README.md', README);
  await write('private/x.png', hostile[0]!);
  await write('node_modules/pkg/shot.png', hostile[1]!);
  await write('secret/plan.png', hostile[2]!);
  await write('drafts/wip.png', hostile[3]!);
  await fs.writeFile(path.join(scratch, 'outside.png'), hostile[4]!);
  await fs.mkdir(path.join(scratch, 'elsewhere'));
  await fs.writeFile(path.join(scratch, 'elsewhere', 'leak.png'), hostile[5]!);
  await fs.writeFile(path.join(scratch, 'elsewhere', 'target.png'), hostile[6]!);
  await fs.symlink(path.join(scratch, 'elsewhere', 'target.png'), path.join(root, 'linked-out.png'));
  await fs.symlink(path.join(scratch, 'elsewhere'), path.join(root, 'shared'));
  await write('big/huge.png', Buffer.concat([hostile[7]!, Buffer.alloc(40_000)]));
  await write('bomb.png', pngDeclaring(20_000, 20_000));
  await write('private-note.png', hostile[0]!);
  await write('shots/ok.png', await solidPng(640, 400, '#22aa66'));
});

async function indexHostile(): Promise<{ report: IndexReport; thumbnails: string[]; store: IndexStore }> {
  const s = testSettings(server, { exclude: ['drafts/**'] });
  const store = await IndexStore.open(indexDir, indexIdentityFrom(s));
  const client = testClient(s);
  const options = indexerOptionsFrom(s, [{ key: '', path: root }]);
  const indexer = new Indexer(store, client, { ...options, walk: { ...options.walk, caps: { maxFileBytes: { image: 30_000 } } } });
  try {
    const report = await indexer.run();
    const thumbnails = await fs.readdir(path.join(indexDir, 'thumbs')).catch(() => []);
    return { report, thumbnails, store };
  } finally {
    await client.close();
  }
}

describe('image references from markdown', () => {
  it('read, send and thumbnail only what a walk admits, and say why for every other one', async () => {
    const { report, thumbnails, store } = await indexHostile();
    try {
      const uploaded = server.requests.flatMap((r) => r.embedding?.inputs ?? []).flatMap((i) => i.images);
      for (const [width, height] of HOSTILE_SIZES) expect(uploaded.filter((image) => image.width === width && image.height === height)).toEqual([]);
      // Two uploads in all: shots/ok.png on its own and as the README's figure.
      expect(uploaded).toHaveLength(2);
      expect(uploaded.every((image) => image.width === 640 && image.height === 400)).toBe(true);

      const readme = store.catalog.getFile('', 'README.md')!;
      expect(readme.items.filter((i) => i.part === 'figure').map((i) => i.target)).toEqual(['shots/ok.png']);
      // One thumbnail file per thumbnail the catalog knows, and only for the admitted image.
      const known = new Set([...store.catalog.allFiles()].flatMap((f) => f.items.map((i) => i.thumbnail)).filter(Boolean));
      expect(new Set(thumbnails)).toEqual(known);
      expect(known.size).toBe(1);

      const lineOf = (text: string) => README.split('\n').findIndex((line) => line.includes(text)) + 1;
      const warnings = Object.fromEntries(report.warnings.map((w) => [w.line, `${w.code}: ${w.message}`]));
      expect(warnings).toEqual({
        [lineOf('private/x.png')]:
          `ignored: line ${lineOf('private/x.png')}: private/x.png is not sent: it is ignored by a .gitignore or .sightlineignore file`,
        [lineOf('node_modules')]: `ignored: line ${lineOf('node_modules')}: node_modules/pkg/shot.png is not sent: it is excluded by default`,
        [lineOf('secret/plan.png')]:
          `ignored: line ${lineOf('secret/plan.png')}: secret/plan.png is not sent: it is ignored by a .gitignore or .sightlineignore file`,
        [lineOf('drafts/wip.png')]: `ignored: line ${lineOf('drafts/wip.png')}: drafts/wip.png is not sent: it matches an exclude glob`,
        [lineOf('../outside.png')]: `outside-root: line ${lineOf('../outside.png')}: ../outside.png is not sent: it points outside the workspace folder`,
        [lineOf('linked-out.png')]:
          `outside-root: line ${lineOf('linked-out.png')}: linked-out.png is not sent: it links to a file outside the workspace folder`,
        [lineOf('shared/leak.png')]:
          `outside-root: line ${lineOf('shared/leak.png')}: shared/leak.png is not sent: it links to a file outside the workspace folder`,
        [lineOf('big/huge.png')]: expect.stringMatching(/^too-large: line \d+: big\/huge\.png is not sent: 4\d KB is over the 29 KB limit for image files$/),
        [lineOf('bomb.png')]: expect.stringMatching(/^too-many-pixels: line \d+: .*20000x20000 pixels, over the limit/),
        [lineOf('private-note.png')]:
          `ignored: line ${lineOf('private-note.png')}: ![[private-note.png]] is not sent: it is ignored by a .gitignore or .sightlineignore file`,
      });
      // Warnings only: the README itself is indexed, and the bomb on its own is the one file that failed.
      expect(report.failed.map((f) => [f.path, f.code])).toEqual([['bomb.png', 'too-many-pixels']]);
      expect(readme.items.some((i) => i.part === 'section')).toBe(true);
      expect(readme.warnings).toHaveLength(10);
    } finally {
      await store.close();
    }
  });
});
