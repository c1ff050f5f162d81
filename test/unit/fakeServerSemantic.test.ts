import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { decodeEmbeddings, messagesBody, postEmbeddings } from '../support/fakeServer/fakeServerClient';
import { decodeImage } from '../support/fakeServer/imageFeatures';
import { conceptLexicon, LANGUAGES } from '../support/fakeServer/semantic/conceptLexicon';
import { resolveSemanticOptions, type SemanticModelOptions } from '../support/fakeServer/semantic/semanticOptions';
import { SemanticSpace } from '../support/fakeServer/semantic/semanticSpace';
import { reencodeImage, renderSyntheticScreenshot, toDataUrl } from '../support/fakeServer/syntheticImages';
import { cosineSimilarity as cos, truncateVector } from '../support/fakeServer/vectorMath';

const space = (options: SemanticModelOptions = {}, dimensions = 1024) => new SemanticSpace(resolveSemanticOptions(options), dimensions);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Sentences on unrelated subjects, to measure what "unrelated" scores. */
const UNRELATED = [
  'quarterly revenue grew in every region',
  'the kubernetes cluster scales out automatically',
  'invite a colleague to your team',
  'the printer in the office is offline',
  'rotate the encryption keys every month',
  'export the invoices as a spreadsheet',
  'the calendar shows deadlines for each day',
  'restart the service after a crash',
];

/** The same statement in English, German, French and Japanese. */
const TRANSLATIONS = [
  [
    'The database is backed up every night.',
    'Die Datenbank wird jede Nacht gesichert.',
    'La base de données est sauvegardée chaque nuit.',
    'データベースは毎晩バックアップされます。',
  ],
  [
    'Reset your password from the sign-in page.',
    'Setzen Sie Ihr Passwort auf der Anmeldeseite zurück.',
    'Réinitialisez votre mot de passe depuis la page de connexion.',
    'ログインページでパスワードをリセットしてください。',
  ],
  [
    'Invoices are sent by email each month.',
    'Rechnungen werden jeden Monat per E-Mail verschickt.',
    'Les factures sont envoyées par e-mail chaque mois.',
    '請求書は毎月メールで送信されます。',
  ],
];

describe('semantic fake model: the lexicon', () => {
  it('has a few hundred concepts, each with phrases in four languages that it recognises', () => {
    const lexicon = conceptLexicon();
    expect(lexicon.length).toBeGreaterThanOrEqual(250);
    expect(new Set(lexicon.map((concept) => concept.id)).size).toBe(lexicon.length);
    const model = space({}, 64);
    const missed: string[] = [];
    for (const concept of lexicon) {
      for (const language of LANGUAGES) {
        expect(concept.phrases[language].length, `${concept.id} ${language}`).toBeGreaterThan(0);
        for (const phrase of concept.phrases[language]) if (!model.conceptsOf(phrase).has(concept.id)) missed.push(`${concept.id}/${language}: ${phrase}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('reads inflections, compounds, accents and identifiers', () => {
    const model = space({}, 64);
    expect([...model.conceptsOf('Signing in with SSO').keys()]).toEqual(expect.arrayContaining(['sign-in', 'single-sign-on']));
    expect(model.conceptsOf('Die Anmeldeseite').has('sign-in')).toBe(true);
    expect(model.conceptsOf('Paramètres du compte').has('settings')).toBe(true);
    expect(model.conceptsOf('Parametres du compte').has('settings')).toBe(true);
    expect([...model.conceptsOf('deleteDeployment').keys()].sort()).toEqual(['delete', 'deployment']);
    expect(model.conceptsOf('ログイン画面').get('sign-in')).toBe(1);
    // A word that merely starts like a stem is not that concept ("logout" is no logo).
    expect(model.conceptsOf('logout').has('logo')).toBe(false);
  });
});

describe('semantic fake model: geometry', () => {
  const model = space({ modalityGap: 0.15 });
  const text = (value: string) => model.textVector(value);

  it('puts synonyms and paraphrases close, with no word in common', () => {
    const baseline = Math.max(...UNRELATED.map((other) => cos(text('sign in'), text(other))));
    for (const synonym of ['log in', 'authenticate', 'login']) expect(cos(text('sign in'), text(synonym))).toBeGreaterThan(baseline + 0.3);
    const paraphrase = cos(text('How do I get back in when I forgot my passphrase?'), text('Reset your password'));
    expect(paraphrase).toBeGreaterThan(Math.max(...UNRELATED.map((other) => cos(text('Reset your password'), text(other)))) + 0.15);
  });

  it('puts translations of a statement closer to each other than to anything unrelated', () => {
    for (const versions of TRANSLATIONS) {
      const [english, ...others] = versions.map(text);
      const unrelated = Math.max(...UNRELATED.map((other) => cos(english!, text(other))));
      for (const translation of others) expect(cos(english!, translation)).toBeGreaterThan(unrelated + 0.2);
    }
  });

  it('sets unrelated items at cosine 0.2-0.4 through a common direction (anisotropy), some higher than others', () => {
    const isotropic = space({ modalityGap: 0 });
    const scores: number[] = [];
    UNRELATED.forEach((a, i) => UNRELATED.slice(i + 1).forEach((b) => scores.push(cos(isotropic.textVector(a), isotropic.textVector(b)))));
    expect(mean(scores)).toBeGreaterThan(0.25);
    expect(mean(scores)).toBeLessThan(0.4);
    expect(Math.min(...scores)).toBeGreaterThan(0.1);
    expect(Math.max(...scores)).toBeLessThan(0.5);
    // Hubs: the spread is real, so no single absolute cosine separates related from unrelated.
    expect(Math.max(...scores) - Math.min(...scores)).toBeGreaterThan(0.08);
  });

  it('has a modality gap of the configured size: a text query scores texts above the image showing the same', async () => {
    const shot = await decodeImage(await renderSyntheticScreenshot(1, { width: 800, height: 500 }));
    const others = await Promise.all([2, 3, 4, 5].map(async (seed) => decodeImage(await renderSyntheticScreenshot(seed, { width: 800, height: 500 }))));
    const caption = 'login form with username and password fields, light theme';
    for (const gap of [0, 0.15, 0.3]) {
      const gapped = space({ modalityGap: gap });
      const query = gapped.textVector('sign in with your password');
      // Unrelated pairs: same modality minus cross modality is the gap itself.
      const textToText = mean(UNRELATED.map((other) => cos(query, gapped.textVector(other))));
      const textToImage = mean(others.map((image) => cos(query, gapped.imageVector(image, undefined))));
      expect(textToText - textToImage).toBeCloseTo(gap, 1);
      // Matching pairs: the caption said as text beats the captioned screenshot by at least the gap.
      const asText = cos(query, gapped.textVector(caption));
      const asImage = cos(query, gapped.imageVector(shot, caption));
      expect(asText - asImage).toBeGreaterThan(gap);
      if (gap === 0.3) {
        // What a raw-cosine ranker faces: the right screenshot below an unrelated paragraph.
        expect(asImage).toBeLessThan(Math.max(...UNRELATED.map((other) => cos(query, gapped.textVector(other)))));
      }
    }
  });

  it('keeps resized copies of an image near-identical, and different images apart', async () => {
    const original = await renderSyntheticScreenshot(7, { width: 1280, height: 800 });
    const caption = 'analytics dashboard with a bar chart';
    const reference = model.imageVector(await decodeImage(original), caption);
    for (const copy of [
      await reencodeImage(original, { width: 640, height: 400, format: 'jpeg', quality: 70 }),
      await reencodeImage(original, { width: 300, height: 188, format: 'webp' }),
    ]) {
      expect(cos(model.imageVector(await decodeImage(copy), caption), reference)).toBeGreaterThan(0.99);
    }
    const other = model.imageVector(await decodeImage(await renderSyntheticScreenshot(8, { width: 1280, height: 800 })), caption);
    expect(cos(other, reference)).toBeLessThan(0.95);
  });

  it('keeps meaning through a Matryoshka cut', () => {
    const cut = (value: string) => truncateVector(text(value), 256);
    const unrelated = Math.max(...UNRELATED.map((other) => cos(cut('sign in'), cut(other))));
    expect(cos(cut('sign in'), cut('authenticate'))).toBeGreaterThan(unrelated + 0.3);
  });
});

describe('semantic fake model over HTTP', () => {
  let server: FakeEmbeddingServer;
  let shot: Buffer;

  beforeAll(async () => {
    server = await startFakeEmbeddingServer({ dimensions: 512, semantic: { modalityGap: 0.3 } });
    shot = await renderSyntheticScreenshot(21, { width: 800, height: 500 });
    await server.describeImage(shot, 'billing page with a table of invoices');
  });
  afterAll(() => server.close());

  it('serves the semantic vectors for texts and captioned images', async () => {
    const model = space({ modalityGap: 0.3 }, 512);
    const response = await postEmbeddings(server, { model: server.options.models[0], input: ['Rechnungen herunterladen'] });
    expect(response.status).toBe(200);
    const [served] = decodeEmbeddings(response.json);
    expect(cos(served!, model.textVector('Rechnungen herunterladen'))).toBeCloseTo(1, 5);
    expect(cos(served!, server.vectorForText('Rechnungen herunterladen'))).toBeCloseTo(1, 5);

    const image = await postEmbeddings(server, messagesBody({ imageDataUrls: [toDataUrl(shot, 'image/png')] }));
    const [imageVector] = decodeEmbeddings(image.json);
    expect(cos(imageVector!, await server.vectorForImage(shot))).toBeCloseTo(1, 5);
    // The German query finds the English-captioned screenshot, not an unrelated one.
    const other = await server.vectorForImage(await renderSyntheticScreenshot(22, { width: 800, height: 500 }));
    expect(cos(served!, imageVector!)).toBeGreaterThan(cos(served!, other) + 0.03);
  });

  it('answers a Matryoshka cut of the semantic vector', async () => {
    const response = await postEmbeddings(server, { model: server.options.models[0], input: 'Anmeldung', dimensions: 128 });
    const [cut] = decodeEmbeddings(response.json);
    expect(cut).toHaveLength(128);
    expect(cos(cut!, truncateVector(server.vectorForText('Anmeldung'), 128))).toBeCloseTo(1, 5);
  });

  it('refuses a geometry that leaves no room for content', () => {
    expect(() => resolveSemanticOptions({ modalityGap: 0.5, anisotropy: 0.4 })).toThrow(/leave room/);
  });
});
