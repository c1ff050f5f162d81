import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lexicalTokens } from '../../src/core/index/search/lexicalTokens';
import { GUIDE_MD, INTL_MD } from '../support/workspaceFixture';
import { indexWorkspace, openSearchPanel, setApiKey } from './support/sightlineActions';
import { API_KEY, CAPTIONS, type SightlineE2e, startSightlineE2e } from './support/sightlineE2e';

/** Says what the dashboard screenshot shows in words found nowhere in its name or any file. */
const QUERY = 'graphs and a crimson strip';

let e2e: SightlineE2e;
let broken: string | undefined;

beforeAll(async () => {
  // A real model's geometry: meaning across words, a modality gap of 0.3, a common direction.
  e2e = await startSightlineE2e({ server: { semantic: { modalityGap: 0.3 } } });
});
afterAll(async () => {
  await e2e?.stop();
});

describe('Sightline finds a screenshot by meaning alone', () => {
  beforeEach(({ task, onTestFailed, skip }) => {
    if (broken) skip(`an earlier step failed: ${broken}`);
    onTestFailed(async () => {
      broken = task.name;
      await e2e.saveFailure(`semantic-${task.name.replace(/\W+/g, '-').slice(0, 60)}`);
    });
  });

  it('shares no word between the query and the screenshot, its name or the workspace text', () => {
    const words = new Set(lexicalTokens(QUERY).filter((word) => !['a', 'and'].includes(word)));
    const everywhere = lexicalTokens(['images/dashboard.png', GUIDE_MD, INTL_MD].join('\n'));
    expect(everywhere.filter((word) => words.has(word))).toEqual([]);
    // The fake model "sees" the picture through its caption, which the query paraphrases.
    expect(lexicalTokens(CAPTIONS['images/dashboard.png']!).filter((word) => words.has(word))).toEqual([]);
  });

  it('indexes the workspace', async () => {
    await setApiKey(e2e.workbench, API_KEY);
    const summary = await indexWorkspace(e2e.workbench, { allowUploads: true });
    expect(summary).toMatch(/Indexing finished: \d+ items embedded/);
  });

  it('shows the screenshot the words describe first in the panel, with its thumbnail', async () => {
    const panel = await openSearchPanel(e2e.workbench);
    await panel.search(QUERY);
    const best = panel.ranked(0);
    expect(await panel.location(best)).toBe('images/dashboard.png');
    expect(await panel.thumbnailLoaded(best)).toBe(true);
    await e2e.workbench.screenshot('semantic-search');
  });
});
