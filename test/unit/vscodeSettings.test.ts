import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/settings/sightlineSettings';
import { autoUpdateEnabled, readSettings } from '../../src/vscode/settingsReader';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';

/**
 * Where files are sent is a user decision: a repository's .vscode/settings.json must not be able
 * to redirect uploads or change what is sent, while the file filters are ordinary resource settings.
 */

beforeEach(resetFake);

describe('readSettings', () => {
  it('gives the package.json defaults when nothing is set', () => {
    const settings = readSettings();
    expect(settings.endpoint).toBe('https://openai.inference.de-txl.ionos.com/v1');
    expect(settings.model).toBe('Qwen/Qwen3-VL-Embedding-8B');
    expect(settings.dimensions).toBeUndefined();
    expect(settings.requestsPerSecond).toBe(5);
    expect(settings.burst).toBe(10);
    expect(settings.concurrency).toBe(4);
    expect(settings.shape).toEqual(DEFAULT_SETTINGS.shape);
    expect(settings.include).toEqual([]);
    expect(settings.exclude).toEqual([]);
    expect(settings.useGitignore).toBe(true);
  });

  it('takes endpoint, model, dimensions, pacing and request shape from user settings', () => {
    fake.settings.setUser('sightline.endpoint', 'https://embed.example.com/v1');
    fake.settings.setUser('sightline.model', 'other/model');
    fake.settings.setUser('sightline.dimensions', 1024);
    fake.settings.setUser('sightline.requestsPerSecond', 20);
    fake.settings.setUser('sightline.burst', 30);
    fake.settings.setUser('sightline.concurrency', 8);
    fake.settings.setUser('sightline.request.textFormat', 'plain');
    fake.settings.setUser('sightline.request.systemMessage', false);
    fake.settings.setUser('sightline.request.assistantTurn', false);
    fake.settings.setUser('sightline.request.continueFinalMessage', false);
    fake.settings.setUser('sightline.request.addSpecialTokens', false);
    const settings = readSettings();
    expect(settings).toMatchObject({
      endpoint: 'https://embed.example.com/v1',
      model: 'other/model',
      dimensions: 1024,
      requestsPerSecond: 20,
      burst: 30,
      concurrency: 8,
    });
    expect(settings.shape).toMatchObject({
      textFormat: 'plain',
      systemMessage: false,
      assistantTurn: false,
      continueFinalMessage: false,
      addSpecialTokens: false,
    });
  });

  it('clamps the workspace-scoped image and PDF caps to what package.json allows, whatever a repository sets', () => {
    for (const [budget, pages, expected] of [
      [1e12, 1e9, [1_843_200, 10_000]],
      [1, 0, [4096, 1]],
      [-5, -5, [4096, 1]],
      ['huge', null, [DEFAULT_SETTINGS.pixelBudget, DEFAULT_SETTINGS.maxPdfPages]],
      [Number.NaN, Number.POSITIVE_INFINITY, [DEFAULT_SETTINGS.pixelBudget, DEFAULT_SETTINGS.maxPdfPages]],
      [500_000.4, 12, [500_000, 12]],
    ] as const) {
      fake.settings.setWorkspace('sightline.imagePixelBudget', budget);
      fake.settings.setWorkspace('sightline.pdfMaxPages', pages);
      const settings = readSettings();
      expect([settings.pixelBudget, settings.maxPdfPages], `${String(budget)}, ${String(pages)}`).toEqual(expected);
    }
  });

  it('keeps a Matryoshka cut from user settings inside 32 to 4096', () => {
    fake.settings.setUser('sightline.dimensions', 7);
    expect(readSettings().dimensions).toBe(32);
    fake.settings.setUser('sightline.dimensions', 100_000);
    expect(readSettings().dimensions).toBe(4096);
  });

  it('ignores workspace values for every setting that decides where and what is sent', () => {
    fake.settings.setUser('sightline.endpoint', 'https://embed.example.com/v1');
    const hostile: Record<string, unknown> = {
      'sightline.endpoint': 'https://attacker.example.net/v1',
      'sightline.model': 'attacker/model',
      'sightline.dimensions': 64,
      'sightline.requestsPerSecond': 1000,
      'sightline.burst': 1000,
      'sightline.concurrency': 32,
      'sightline.request.textFormat': 'plain',
      'sightline.request.systemMessage': false,
      'sightline.request.assistantTurn': false,
      'sightline.request.continueFinalMessage': false,
      'sightline.request.addSpecialTokens': false,
    };
    for (const [key, value] of Object.entries(hostile)) fake.settings.setWorkspace(key, value);
    const settings = readSettings();
    expect(settings.endpoint).toBe('https://embed.example.com/v1');
    expect(settings.model).toBe(DEFAULT_SETTINGS.model);
    expect(settings.dimensions).toBeUndefined();
    expect(settings.requestsPerSecond).toBe(5);
    expect(settings.burst).toBe(10);
    expect(settings.concurrency).toBe(4);
    expect(settings.shape).toEqual(DEFAULT_SETTINGS.shape);
  });

  it('takes the shared cache and its size limit from user settings only: a repository cannot choose the vectors its index gets', () => {
    expect(readSettings()).toMatchObject({ sharedCache: '', sharedCacheMaxMegabytes: 1024 });
    fake.settings.setWorkspace('sightline.sharedCache', 'https://attacker.example.net/poisoned.slcache');
    fake.settings.setWorkspace('sightline.sharedCacheMaxMegabytes', 60_000);
    expect(readSettings()).toMatchObject({ sharedCache: '', sharedCacheMaxMegabytes: 1024 });
    fake.settings.setUser('sightline.sharedCache', '  https://cache.example.com/docs.slcache ');
    fake.settings.setUser('sightline.sharedCacheMaxMegabytes', 1e9);
    expect(readSettings()).toMatchObject({ sharedCache: 'https://cache.example.com/docs.slcache', sharedCacheMaxMegabytes: 65_536 });
    fake.settings.setUser('sightline.sharedCache', 42);
    expect(readSettings().sharedCache).toBe('');
  });

  it('declares the shared cache settings machine-scoped, so VS Code itself keeps them out of workspace settings', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    const properties = manifest.contributes.configuration.properties;
    expect(properties['sightline.sharedCache']?.scope).toBe('machine');
    expect(properties['sightline.sharedCacheMaxMegabytes']?.scope).toBe('machine');
  });

  it('falls back to the default endpoint when only the workspace sets one', () => {
    fake.settings.setWorkspace('sightline.endpoint', 'https://attacker.example.net/v1');
    expect(readSettings().endpoint).toBe('https://openai.inference.de-txl.ionos.com/v1');
  });

  it('reads include, exclude and the other resource settings at any level, the workspace winning', () => {
    fake.settings.setUser('sightline.include', ['user/**']);
    fake.settings.setWorkspace('sightline.include', ['docs/**', 'screenshots/**']);
    fake.settings.setWorkspace('sightline.exclude', ['**/drafts/**']);
    fake.settings.setWorkspace('sightline.useGitignore', false);
    fake.settings.setWorkspace('sightline.imagePixelBudget', 500_000);
    fake.settings.setWorkspace('sightline.pdfMaxPages', 20);
    const settings = readSettings();
    expect(settings.include).toEqual(['docs/**', 'screenshots/**']);
    expect(settings.exclude).toEqual(['**/drafts/**']);
    expect(settings.useGitignore).toBe(false);
    expect(settings.pixelBudget).toBe(500_000);
    expect(settings.maxPdfPages).toBe(20);
  });

  it('treats an empty dimensions setting as the full vector', () => {
    fake.settings.setUser('sightline.dimensions', null);
    expect(readSettings().dimensions).toBeUndefined();
    fake.settings.setUser('sightline.dimensions', 0);
    expect(readSettings().dimensions).toBeUndefined();
  });
});

describe('autoUpdateEnabled', () => {
  it('is on by default and follows the setting', () => {
    expect(autoUpdateEnabled()).toBe(true);
    fake.settings.setWorkspace('sightline.autoUpdate', false);
    expect(autoUpdateEnabled()).toBe(false);
  });
});
