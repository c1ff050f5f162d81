import type * as vscode from 'vscode';
import { secretKeyFor } from './secretKey';

/**
 * The API key lives in SecretStorage under the endpoint's origin, so changing the endpoint
 * never sends the old key elsewhere. SIGHTLINE_API_KEY is a fallback for remote and CI use,
 * but only for an endpoint someone chose on purpose: the one set in user or remote settings
 * (`userEndpoint`), or the one SIGHTLINE_ENDPOINT names beside the key. Never for the
 * built-in default alone, so a key meant for one provider is not sent to another.
 */
export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly environment: NodeJS.ProcessEnv = process.env,
    private readonly userEndpoint: () => string | undefined = () => undefined,
  ) {}

  async get(endpoint: string): Promise<string | undefined> {
    const stored = await this.secrets.get(secretKeyFor(endpoint));
    if (stored) return stored;
    const fromEnvironment = this.environment.SIGHTLINE_API_KEY?.trim();
    return fromEnvironment && this.environmentKeyMayGoTo(endpoint) ? fromEnvironment : undefined;
  }

  private environmentKeyMayGoTo(endpoint: string): boolean {
    const target = secretKeyFor(endpoint);
    return [this.userEndpoint(), this.environment.SIGHTLINE_ENDPOINT?.trim()].some((chosen) => {
      if (!chosen) return false;
      try {
        return secretKeyFor(chosen) === target;
      } catch {
        return false;
      }
    });
  }

  async set(endpoint: string, key: string): Promise<void> {
    await this.secrets.store(secretKeyFor(endpoint), key.trim());
  }

  async delete(endpoint: string): Promise<void> {
    await this.secrets.delete(secretKeyFor(endpoint));
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange(listener);
  }
}
