import type * as vscode from 'vscode';
import { ApiKeyStore } from '../../../src/vscode/apiKeyStore';
import { SightlineService } from '../../../src/vscode/sightlineService';
import { fake, resetFake } from './fakeHost';
import { FakeLogOutputChannel } from './outputs';
import { FakeSecretStorage } from './storage';

// The real extension service in a fake window, for tests that drive it against the fake
// embeddings server. Like fakeServices.ts, the one place that hands the fakes over as VS Code's types.

/** A fresh fake host whose user settings point at `baseUrl`, paced far above any test's needs, with `folders` open. */
export function windowOnEndpoint(baseUrl: string, folders: readonly string[]): void {
  resetFake();
  fake.workspace.setFolders([...folders]);
  fake.settings.setUser('sightline.endpoint', baseUrl);
  fake.settings.setUser('sightline.requestsPerSecond', 500);
  fake.settings.setUser('sightline.burst', 500);
}

/** The service as extension.ts builds it, with `key` stored for `endpoint`, and the log it writes. */
export async function serviceWithKey(indexDir: string, endpoint: string, key: string): Promise<{ service: SightlineService; log: FakeLogOutputChannel }> {
  const keys = new ApiKeyStore(new FakeSecretStorage() as unknown as vscode.SecretStorage, {});
  await keys.set(endpoint, key);
  const log = new FakeLogOutputChannel('Sightline');
  return { service: new SightlineService(indexDir, keys, log as unknown as vscode.LogOutputChannel), log };
}
