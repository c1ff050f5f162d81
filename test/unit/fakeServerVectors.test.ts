import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from '../support/fakeServer/fakeEmbeddingServer';
import { decodeEmbeddings, messagesBody, postEmbeddings } from '../support/fakeServer/fakeServerClient';
import { decodeImage } from '../support/fakeServer/imageFeatures';
import { vectorForImage } from '../support/fakeServer/imageVectors';
import { renderPromptTemplate, stripPromptTemplate } from '../support/fakeServer/promptTemplate';
import { reencodeImage, renderSyntheticScreenshot, toDataUrl } from '../support/fakeServer/syntheticImages';
import { contentWords, splitWords, vectorForText } from '../support/fakeServer/textVectors';
import { countImageTokens, countTextTokens } from '../support/fakeServer/tokenCount';
import { base64ToFloat32, combineVectors, cosineSimilarity, float32ToBase64, truncateVector } from '../support/fakeServer/vectorMath';

const cos = cosineSimilarity;

describe('fake server text vectors', () => {
  it('splits words unicode-aware, one CJK character per word', () => {
    expect(splitWords('Über-Größe, naïve café!')).toEqual(['über', 'größe', 'naïve', 'café']);
    expect(splitWords('abc漢字def 123 ｆｕｌｌ')).toEqual(['abc', '漢', '字', 'def', '123', 'full']);
    expect(splitWords('すしとラーメン')).toEqual(['す', 'し', 'と', 'ラ', 'ー', 'メ', 'ン']);
  });

  it('drops function words and folds plurals, unless nothing else is left', () => {
    expect(contentWords('The screenshots of a dialog')).toEqual(['screenshot', 'dialog']);
    expect(contentWords('of the')).toEqual(['of', 'the']);
  });

  it('is deterministic and unit length', () => {
    const first = vectorForText('build pipeline status page');
    expect(Array.from(vectorForText('build pipeline status page'))).toEqual(Array.from(first));
    expect(cos(first, first)).toBeCloseTo(1, 6);
    expect(first.length).toBe(4096);
  });

  it('puts texts that share words closer than unrelated texts', () => {
    const query = vectorForText('red sports car parked outside');
    const related = vectorForText('a red car in the parking lot');
    const unrelated = vectorForText('quarterly revenue spreadsheet');
    expect(cos(query, related)).toBeGreaterThan(0.3);
    expect(Math.abs(cos(query, unrelated))).toBeLessThan(0.15);
    expect(cos(vectorForText('跟着白兔走'), vectorForText('白兔'))).toBeGreaterThan(0.5);
    expect(Math.abs(cos(vectorForText('跟着白兔走'), vectorForText('黑猫')))).toBeLessThan(0.15);
  });

  it('does not care about case or plural', () => {
    expect(Array.from(vectorForText('Settings Dialogs'))).toEqual(Array.from(vectorForText('settings dialog')));
  });

  it('keeps meaning through a Matryoshka cut', () => {
    const query = truncateVector(vectorForText('database schema diagram'), 64);
    const related = truncateVector(vectorForText('diagram of the database schema tables'), 64);
    const unrelated = truncateVector(vectorForText('holiday photo beach sunset'), 64);
    expect(cos(query, related)).toBeGreaterThan(cos(query, unrelated) + 0.3);
  });

  it('still gives a stable unit vector to texts without words', () => {
    const empty = vectorForText('');
    const dots = vectorForText('...');
    expect(cos(empty, empty)).toBeCloseTo(1, 6);
    expect(cos(dots, dots)).toBeCloseTo(1, 6);
    expect(Array.from(empty)).not.toEqual(Array.from(dots));
  });
});

describe('fake server helpers', () => {
  it('strips only the official prompt template', () => {
    const templated = renderPromptTemplate('Find a document image that matches the given query.', 'invoice from March');
    expect(stripPromptTemplate(templated)).toEqual({
      text: 'invoice from March',
      templated: true,
      instruction: 'Find a document image that matches the given query.',
    });
    expect(stripPromptTemplate('<|im_start|>user\ninvoice<|im_end|>')).toEqual({ text: '<|im_start|>user\ninvoice<|im_end|>', templated: false });
  });

  it('counts tokens per 4 bytes and per 32-pixel block', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('abcd')).toBe(1);
    expect(countTextTokens('abcde')).toBe(2);
    expect(countTextTokens('漢字')).toBe(2);
    expect(countImageTokens(1280, 720)).toBe(40 * 23 + 2);
    expect(countImageTokens(1, 1)).toBe(1 + 2);
  });

  it('round-trips float32 vectors through base64', () => {
    const vector = Float32Array.from([0.1, -0.5, 1e-7, 0.333]);
    expect(Array.from(base64ToFloat32(float32ToBase64(vector)))).toEqual(Array.from(vector));
    expect(() => base64ToFloat32('AAA=')).toThrow(/multiple of 4/);
  });
});

describe('fake server image vectors', () => {
  let original: Buffer;
  let others: Buffer[];

  beforeAll(async () => {
    original = await renderSyntheticScreenshot(1, { width: 1280, height: 800 });
    others = await Promise.all([2, 3].map((seed) => renderSyntheticScreenshot(seed, { width: 1280, height: 800 })));
  });

  it('keeps resized and recompressed copies very close', async () => {
    const reference = await vectorForImage(original);
    const copies = await Promise.all([
      reencodeImage(original, { width: 640, height: 400, format: 'jpeg', quality: 70 }),
      reencodeImage(original, { width: 1000, height: 625, format: 'webp' }),
      reencodeImage(original, { width: 200, height: 125, format: 'png' }),
    ]);
    for (const copy of copies) expect(cos(await vectorForImage(copy), reference)).toBeGreaterThan(0.95);
  });

  it('keeps different images far apart, and far from text', async () => {
    const reference = await vectorForImage(original);
    for (const other of others) expect(cos(await vectorForImage(other), reference)).toBeLessThan(0.5);
    expect(Math.abs(cos(reference, vectorForText('screenshot of a window')))).toBeLessThan(0.1);
  });

  it('reads the real format and size of the bytes', async () => {
    const jpeg = await reencodeImage(original, { width: 100, height: 50, format: 'jpeg' });
    expect(await decodeImage(jpeg)).toMatchObject({ format: 'jpeg', width: 100, height: 50 });
    await expect(decodeImage(Buffer.from('not an image'))).rejects.toThrow();
  });

  it('tells flat images of different colours apart', async () => {
    const flat = (background: string) => renderFlat(background);
    const [red, blue] = await Promise.all([flat('#ff0000'), flat('#0000ff')]);
    const redVector = await vectorForImage(red);
    expect(cos(redVector, redVector)).toBeCloseTo(1, 5);
    expect(cos(redVector, await vectorForImage(blue))).toBeLessThan(0.9);
  });
});

describe('fake server vectors over HTTP', () => {
  let server: FakeEmbeddingServer;
  let images: Buffer[];

  beforeAll(async () => {
    server = await startFakeEmbeddingServer();
    images = await Promise.all([11, 12, 13, 14].map((seed) => renderSyntheticScreenshot(seed, { width: 800, height: 500 })));
  });
  afterAll(() => server.close());

  async function embedImage(bytes: Buffer, text?: string, instruction?: string): Promise<Float32Array> {
    const response = await postEmbeddings(
      server,
      messagesBody({ imageDataUrls: [toDataUrl(bytes, 'image/png')], ...(text ? { text } : {}), ...(instruction ? { instruction } : {}) }),
    );
    expect(response.status).toBe(200);
    return decodeEmbeddings(response.json)[0]!;
  }

  async function embedText(text: string): Promise<Float32Array> {
    const response = await postEmbeddings(server, { model: server.options.models[0], input: text });
    return decodeEmbeddings(response.json)[0]!;
  }

  it('serves an image alone as vectorForImage computes it', async () => {
    expect(Array.from(await embedImage(images[0]!))).toEqual(Array.from(await vectorForImage(images[0]!)));
  });

  it('serves image+text as the normalised sum of both parts, whatever the instruction', async () => {
    const expected = combineVectors([await vectorForImage(images[0]!), vectorForText('but in dark mode')]);
    const documentForm = await embedImage(images[0]!, 'but in dark mode');
    const queryForm = await embedImage(images[0]!, 'but in dark mode', "Retrieve images or text relevant to the user's query.");
    expect(Array.from(documentForm)).toEqual(Array.from(expected));
    expect(Array.from(queryForm)).toEqual(Array.from(expected));
  });

  it('lets a text query find an image through its registered caption', async () => {
    const target = images[2]!;
    await server.describeImage(target, 'architecture diagram of the payment service');
    try {
      // The client downsizes and may re-encode before sending; the caption must still apply.
      const sentCopy = await reencodeImage(target, { width: 400, height: 250, format: 'png' });
      const indexed = await Promise.all([images[0]!, images[1]!, sentCopy, images[3]!].map((bytes) => embedImage(bytes)));
      const query = await embedText('payment service architecture');
      const scores = indexed.map((vector) => cos(query, vector));
      const best = scores.indexOf(Math.max(...scores));
      expect(best).toBe(2);
      expect(scores[2]).toBeGreaterThan(0.4);
      for (const [index, score] of scores.entries()) if (index !== 2) expect(Math.abs(score)).toBeLessThan(0.15);
      expect(Array.from(await server.vectorForImage(target))).not.toEqual(Array.from(await vectorForImage(target)));
    } finally {
      server.clearCaptions();
    }
    expect(Array.from(await embedImage(images[2]!))).toEqual(Array.from(await vectorForImage(images[2]!)));
  });
});

function renderFlat(background: string): Promise<Buffer> {
  return reencodeImage(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="${background}"/></svg>`),
    {
      format: 'png',
    },
  );
}
