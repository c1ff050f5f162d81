import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FakeEmbeddingServer } from '../fakeServer/fakeEmbeddingServer';
import { reencodeImage, renderSyntheticScreenshot } from '../fakeServer/syntheticImages';
import {
  API_REFERENCE_MD,
  AUTHENTICATION_MD,
  BACKUPS_MD,
  BILLING_MD,
  DASHBOARD_MD,
  DEPLOYMENTS_MD,
  GETTING_STARTED_MD,
  MONITORING_MD,
  NETWORKING_MD,
  TEAMS_MD,
  TROUBLESHOOTING_MD,
} from './docsRepoGuides';
import { FIXTURE_COPIES, FIXTURE_IMAGES, IMAGE_SIZE, QUERY_IMAGES } from './docsRepoImages';
import { FIXTURE_PDFS, fixturePdfBytes } from './docsRepoPdfs';
import { FRENCH_BILLING_MD, GERMAN_SETUP_MD, JAPANESE_GUIDE_MD } from './docsRepoTranslations';

/** Every markdown file of the evaluation workspace, by root-relative path. */
export const FIXTURE_MARKDOWN: Readonly<Record<string, string>> = {
  'docs/getting-started.md': GETTING_STARTED_MD,
  'docs/authentication.md': AUTHENTICATION_MD,
  'docs/dashboard.md': DASHBOARD_MD,
  'docs/deployments.md': DEPLOYMENTS_MD,
  'docs/monitoring.md': MONITORING_MD,
  'docs/billing.md': BILLING_MD,
  'docs/teams.md': TEAMS_MD,
  'docs/operations/backups.md': BACKUPS_MD,
  'docs/operations/networking.md': NETWORKING_MD,
  'docs/troubleshooting.md': TROUBLESHOOTING_MD,
  'docs/api/reference.md': API_REFERENCE_MD,
  'docs/de/einrichtung.md': GERMAN_SETUP_MD,
  'docs/fr/facturation.md': FRENCH_BILLING_MD,
  'docs/ja/guide.md': JAPANESE_GUIDE_MD,
};

export interface DocsRepo {
  readonly root: string;
  /** Bytes of a workspace file. */
  read(relativePath: string): Promise<Buffer>;
  /** Bytes of a query image (QUERY_IMAGES) by name. */
  queryImage(name: string): Buffer;
  /** Tells the fake server what each picture (and each query picture) shows. */
  describeTo(server: FakeEmbeddingServer): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Writes the evaluation workspace: markdown guides in four languages, screenshots, diagrams and
 * exported copies, PDFs, a README and the clutter a repository has (a .gitignore'd build folder).
 */
export async function createDocsRepo(): Promise<DocsRepo> {
  const root = await fs.mkdtemp(path.join(tmpdir(), 'sightline-docs-repo-'));
  const write = async (relativePath: string, content: string | Uint8Array) => {
    const file = path.join(root, relativePath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  };
  const images = new Map<string, Buffer>();
  await Promise.all(
    FIXTURE_IMAGES.map(async (image) => {
      const bytes = await renderSyntheticScreenshot(image.seed, {
        width: image.width ?? IMAGE_SIZE.width,
        height: image.height ?? IMAGE_SIZE.height,
        ...(image.theme ? { theme: image.theme } : {}),
      });
      images.set(image.path, bytes);
      await write(image.path, bytes);
    }),
  );
  await Promise.all(FIXTURE_COPIES.map(async (copy) => write(copy.path, await reencodeImage(images.get(copy.of)!, copy))));
  for (const [file, text] of Object.entries(FIXTURE_MARKDOWN)) await write(file, text);
  for (const pdf of FIXTURE_PDFS) await write(pdf.path, fixturePdfBytes(pdf));
  await write('README.md', '# Harbor docs\n\nSources of the Harbor documentation site. Pages live under docs/, pictures under screenshots/ and diagrams/.\n');
  await write('.gitignore', 'site/\n');
  await write('site/index.html', '<html></html>\n');

  const queryImages = new Map<string, Buffer>();
  for (const query of QUERY_IMAGES) {
    const bytes = query.copyOf
      ? await reencodeImage(images.get(query.copyOf)!, { width: 700, height: 437, format: 'png' })
      : await renderSyntheticScreenshot(query.seed, { ...IMAGE_SIZE, ...(query.theme ? { theme: query.theme } : {}) });
    queryImages.set(query.name, bytes);
  }

  return {
    root,
    read: (relativePath) => fs.readFile(path.join(root, relativePath)),
    queryImage: (name) => {
      const bytes = queryImages.get(name);
      if (!bytes) throw new Error(`no query image ${name}`);
      return bytes;
    },
    describeTo: async (server) => {
      for (const image of FIXTURE_IMAGES) await server.describeImage(images.get(image.path)!, image.caption);
      for (const query of QUERY_IMAGES) if (!query.copyOf) await server.describeImage(queryImages.get(query.name)!, query.caption);
    },
    remove: () => fs.rm(root, { recursive: true, force: true }),
  };
}
