import type * as vscode from 'vscode';
import { ApiKeyStore } from '../../../src/vscode/apiKeyStore';
import type { ExtensionServices } from '../../../src/vscode/extensionServices';
import type { IndexService, ServiceState } from '../../../src/vscode/indexService';
import { UploadConsent } from '../../../src/vscode/uploadConsent';
import { EventEmitter } from './events';
import { FakeLogOutputChannel } from './outputs';
import { FakeMemento, FakeSecretStorage } from './storage';
import { Uri } from './uri';

// Under vitest `vscode` is this fake API, but the types are VS Code's own. This module is the one
// place where the fakes are handed over as VS Code's types, so tests build services without casts.

/** State changes a test fires at whatever listens to a fake service. */
export function fakeServiceStates(): { fire(state: ServiceState): void; readonly event: vscode.Event<ServiceState>; readonly listenerCount: number } {
  const emitter = new EventEmitter<ServiceState>();
  return {
    fire: (state) => emitter.fire(state),
    event: emitter.event as unknown as vscode.Event<ServiceState>,
    get listenerCount() {
      return emitter.listenerCount;
    },
  };
}

const notFaked = (name: string) => () => Promise.reject(new Error(`IndexService.${name} is not faked in this test`));

/** An index service whose every member can be replaced; the rest say plainly they were not faked. */
export function fakeIndexService<T extends Partial<IndexService>>(overrides: T = {} as T): IndexService & T {
  const defaults: IndexService = {
    state: { kind: 'empty' },
    onDidChangeState: fakeServiceStates().event,
    onDidSearch: new EventEmitter<'query' | 'similar'>().event as unknown as vscode.Event<'query' | 'similar'>,
    isIndexing: false,
    isFollowing: false,
    hasKey: () => Promise.resolve(false),
    imageThumbnail: () => Promise.resolve(undefined),
    hasWorkspace: true,
    lastReport: undefined,
    refreshState: () => Promise.resolve(),
    openInBackground: () => Promise.resolve(),
    client: () => Promise.resolve(undefined),
    index: notFaked('index'),
    search: notFaked('search'),
    duplicates: notFaked('duplicates'),
    describeFiles: () => Promise.resolve(new Map()),
    problems: () => Promise.resolve([]),
    isIndexed: () => Promise.resolve(false),
    clear: notFaked('clear'),
    thumbnailRoot: () => undefined,
  };
  // The test's own object, filled in, so that what the test changes on it later is what the code sees.
  for (const [key, value] of Object.entries(defaults))
    if (!(key in overrides)) Object.defineProperty(overrides, key, { value, writable: true, enumerable: true });
  return overrides as IndexService & T;
}

export interface FakeServicesParts {
  readonly service?: IndexService;
  readonly keys?: ApiKeyStore;
  /** The secret storage behind the default `keys`, for tests that change a key. */
  readonly secrets?: FakeSecretStorage;
  readonly consent?: Pick<UploadConsent, keyof UploadConsent>;
  readonly log?: FakeLogOutputChannel;
  readonly workspaceState?: FakeMemento;
  readonly extensionUri?: Uri;
}

/** The services commands and views share, built from fakes; pass the parts a test looks at. */
export function fakeExtensionServices(parts: FakeServicesParts = {}): ExtensionServices {
  const workspaceState = parts.workspaceState ?? new FakeMemento();
  return {
    service: parts.service ?? fakeIndexService(),
    keys: parts.keys ?? new ApiKeyStore((parts.secrets ?? new FakeSecretStorage()) as unknown as vscode.SecretStorage, {}),
    consent: (parts.consent as UploadConsent | undefined) ?? new UploadConsent(workspaceState),
    log: (parts.log ?? new FakeLogOutputChannel('Sightline')) as unknown as vscode.LogOutputChannel,
    workspaceState: workspaceState,
    extensionUri: parts.extensionUri ?? Uri.file('/extension'),
  };
}
