import type * as vscode from 'vscode';
import { secretKeyFor } from './secretKey';

/**
 * The API key lives in SecretStorage under the endpoint's origin, so changing the endpoint
 * never sends the old key elsewhere. SIGHTLINE_API_KEY is a fallback for remote and CI use.
 */
export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly environment: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(endpoint: string): Promise<string | undefined> {
    const stored = await this.secrets.get(secretKeyFor(endpoint));
    return stored || this.environment.SIGHTLINE_API_KEY?.trim() || undefined;
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
