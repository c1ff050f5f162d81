import type * as vscode from 'vscode';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiKeyStore } from '../../src/vscode/apiKeyStore';
import { setApiKey } from '../../src/vscode/commands/apiKeyCommands';
import { hostOf, secretKeyFor } from '../../src/vscode/secretKey';
import { DEFAULT_SETTINGS } from '../../src/core/settings/sightlineSettings';
import { fake, resetFake } from '../support/fakeVscode/fakeHost';
import { fakeExtensionServices } from '../support/fakeVscode/fakeServices';
import { FakeSecretStorage } from '../support/fakeVscode/storage';

/**
 * The key is filed under the endpoint's origin, so it is only ever sent to the host it was
 * entered for: a different path on the same host keeps it, a different host never sees it.
 */

beforeEach(resetFake);

const DEFAULT_ENDPOINT = DEFAULT_SETTINGS.endpoint;

function store(environment: NodeJS.ProcessEnv = {}, userEndpoint?: string) {
  const secrets = new FakeSecretStorage();
  return { secrets, keys: new ApiKeyStore(secrets as unknown as vscode.SecretStorage, environment, () => userEndpoint) };
}

describe('secretKeyFor', () => {
  it('files keys by origin: scheme, host and port, never path, query or credentials', () => {
    const key = secretKeyFor('https://openai.inference.de-txl.ionos.com/v1');
    expect(key).toBe('sightline.apiKey:https://openai.inference.de-txl.ionos.com');
    expect(secretKeyFor('https://openai.inference.de-txl.ionos.com/other/v1?x=1#y')).toBe(key);
    expect(secretKeyFor('https://user:pw@openai.inference.de-txl.ionos.com/v1')).toBe(key);
    expect(secretKeyFor('http://openai.inference.de-txl.ionos.com/v1')).not.toBe(key);
    expect(secretKeyFor('https://openai.inference.de-txl.ionos.com:8443/v1')).not.toBe(key);
    expect(secretKeyFor('https://openai.inference.de-txl.ionos.com.attacker.example/v1')).not.toBe(key);
  });

  it('refuses something that is not a URL', () => {
    expect(() => secretKeyFor('not a url')).toThrow(/not a valid endpoint URL/);
  });

  it('names the host for messages, and passes through what is not a URL', () => {
    expect(hostOf('https://embed.example.com:8443/v1')).toBe('embed.example.com:8443');
    expect(hostOf('garbage')).toBe('garbage');
  });
});

describe('ApiKeyStore', () => {
  it('keeps the key when only the endpoint path changes', async () => {
    const { keys } = store();
    await keys.set('https://embed.example.com/v1', '  secret-1  ');
    expect(await keys.get('https://embed.example.com/v1')).toBe('secret-1');
    expect(await keys.get('https://embed.example.com/openai/v1')).toBe('secret-1');
  });

  it('does not hand the key to another host, port or scheme', async () => {
    const { keys } = store();
    await keys.set('https://embed.example.com/v1', 'secret-1');
    expect(await keys.get('https://other.example.com/v1')).toBeUndefined();
    expect(await keys.get('https://embed.example.com:444/v1')).toBeUndefined();
    expect(await keys.get('http://embed.example.com/v1')).toBeUndefined();
  });

  it('stores one secret per origin, under the origin key only', async () => {
    const { keys, secrets } = store();
    await keys.set('https://a.example.com/v1', 'key-a');
    await keys.set('https://b.example.com/v1', 'key-b');
    expect([...secrets.secrets.entries()]).toEqual([
      ['sightline.apiKey:https://a.example.com', 'key-a'],
      ['sightline.apiKey:https://b.example.com', 'key-b'],
    ]);
    await keys.delete('https://a.example.com/somewhere/else');
    expect([...secrets.secrets.keys()]).toEqual(['sightline.apiKey:https://b.example.com']);
  });

  it('falls back to SIGHTLINE_API_KEY, trimmed, for the endpoint set in user settings, and prefers a stored key', async () => {
    const { keys } = store({ SIGHTLINE_API_KEY: ' env-key\n' }, 'https://embed.example.com/v1');
    expect(await keys.get('https://embed.example.com/v1')).toBe('env-key');
    await keys.set('https://embed.example.com/v1', 'stored');
    expect(await keys.get('https://embed.example.com/v1')).toBe('stored');
    expect(await store({ SIGHTLINE_API_KEY: '   ' }, 'https://embed.example.com/v1').keys.get('https://embed.example.com/v1')).toBeUndefined();
  });

  it('sends SIGHTLINE_API_KEY only where it was meant to go: never to the default or another host', async () => {
    // No endpoint chosen in user settings: the built-in default does not get the key.
    expect(await store({ SIGHTLINE_API_KEY: 'env-key' }).keys.get(DEFAULT_ENDPOINT)).toBeUndefined();
    // Chosen in user settings: that origin only.
    const chosen = store({ SIGHTLINE_API_KEY: 'env-key' }, 'https://embed.example.com/v1').keys;
    expect(await chosen.get('https://embed.example.com/other/v1')).toBe('env-key');
    expect(await chosen.get('https://evil.example.com/v1')).toBeUndefined();
    // Or named beside the key, as the CLI reads them.
    const paired = store({ SIGHTLINE_API_KEY: 'env-key', SIGHTLINE_ENDPOINT: DEFAULT_ENDPOINT }).keys;
    expect(await paired.get(DEFAULT_ENDPOINT)).toBe('env-key');
    expect(await paired.get('https://embed.example.com/v1')).toBeUndefined();
  });

  it('reports changes of the secret storage', async () => {
    const { keys } = store();
    const listener = vi.fn();
    const subscription = keys.onDidChange(listener);
    await keys.set('https://embed.example.com/v1', 'k');
    subscription.dispose();
    await keys.delete('https://embed.example.com/v1');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('never writes a key to the console or an output channel', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) => vi.spyOn(console, name).mockImplementation(() => undefined));
    try {
      const { keys } = store({ SIGHTLINE_API_KEY: 'env-secret-value' });
      await keys.set('https://embed.example.com/v1', 'stored-secret-value');
      await keys.get('https://embed.example.com/v1');
      await keys.get('https://other.example.com/v1');
      await keys.delete('https://embed.example.com/v1');
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      expect(fake.window.outputChannels).toEqual([]);
      expect(fake.window.messages).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('Set API Key command', () => {
  const services = (keys: ApiKeyStore) => fakeExtensionServices({ keys });

  it('asks for a password-style key for the configured host and files it under that origin', async () => {
    fake.settings.setUser('sightline.endpoint', 'https://embed.example.com/v1');
    fake.window.answerInputBox = () => 'typed-secret';
    const { keys, secrets } = store();
    await setApiKey(services(keys));
    expect(fake.window.inputBoxes).toHaveLength(1);
    expect(fake.window.inputBoxes[0]).toMatchObject({ password: true, title: expect.stringContaining('embed.example.com') });
    expect(secrets.secrets.get('sightline.apiKey:https://embed.example.com')).toBe('typed-secret');
    expect(fake.window.messages.map((m) => m.message)).toEqual(['Sightline: API key for embed.example.com saved.']);
    expect(JSON.stringify(fake.window.messages)).not.toContain('typed-secret');
  });

  it('removes the stored key when the box is left empty, and does nothing when dismissed', async () => {
    const { keys, secrets } = store();
    await keys.set(DEFAULT_ENDPOINT, 'old');
    fake.window.answerInputBox = () => undefined;
    await setApiKey(services(keys));
    expect(secrets.secrets.size).toBe(1);
    fake.window.answerInputBox = () => '   ';
    await setApiKey(services(keys));
    expect(secrets.secrets.size).toBe(0);
  });

  it('ignores a workspace endpoint when choosing where the key goes', async () => {
    fake.settings.setWorkspace('sightline.endpoint', 'https://attacker.example.net/v1');
    fake.window.answerInputBox = () => 'typed-secret';
    const { keys, secrets } = store();
    await setApiKey(services(keys));
    expect([...secrets.secrets.keys()]).toEqual([secretKeyFor(DEFAULT_ENDPOINT)]);
  });
});
