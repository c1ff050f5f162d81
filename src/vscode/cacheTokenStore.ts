import type * as vscode from 'vscode';

/**
 * The bearer token for an http(s) shared cache lives in SecretStorage under the cache URL's
 * origin, like the API key under the endpoint's: pointing the setting at another host never
 * sends the old token there.
 */
export class CacheTokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(url: string): Promise<string | undefined> {
    const key = secretKeyForCache(url);
    return key ? ((await this.secrets.get(key))?.trim() ?? undefined) || undefined : undefined;
  }

  async set(url: string, token: string): Promise<void> {
    await this.secrets.store(secretKeyForCache(url)!, token.trim());
  }

  async delete(url: string): Promise<void> {
    const key = secretKeyForCache(url);
    if (key) await this.secrets.delete(key);
  }
}

/** The storage key for a cache URL's token; undefined for anything but an http(s) URL (a file or folder has no token). */
export function secretKeyForCache(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? `sightline.sharedCacheToken:${parsed.origin}` : undefined;
  } catch {
    return undefined;
  }
}
