import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EmbeddingClient } from '../core/embed/embeddingClient';
import type { IndexProgress } from '../core/index/indexer/indexProgress';
import type { IndexReport } from '../core/index/indexer/indexReport';
import type { DuplicateGroup } from '../core/index/search/duplicateImages';
import type { SearchIndex } from '../core/index/search/searchIndex';
import type { SearchOptions, SearchQuery, SearchResponse } from '../core/index/search/searchTypes';
import { MANIFEST_FILE, readManifest } from '../core/index/store/indexManifest';
import type { IndexStore } from '../core/index/store/indexStore';
import { clientOptionsFrom, indexerOptionsFrom, indexIdentityFrom, type SightlineSettings } from '../core/settings/sightlineSettings';
import type { PreparationWorkerPool } from '../core/sources/worker/preparationWorkerPool';
import type { ApiKeyStore } from './apiKeyStore';
import { loadCore } from './loadCore';
import { readSettings } from './settingsReader';
import { workspaceRoots } from './workspaceRoots';

export type ServiceState =
  | { readonly kind: 'empty' }
  | { readonly kind: 'ready'; readonly files: number; readonly items: number }
  | { readonly kind: 'indexing'; readonly progress?: IndexProgress }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Owns the workspace's index for the extension: opens it on first use, runs one indexing job
 * at a time, answers searches, and tells the status bar and panel what state it is in.
 */
export class SightlineService implements vscode.Disposable {
  private readonly stateEmitter = new vscode.EventEmitter<ServiceState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private currentState: ServiceState = { kind: 'empty' };
  private store: IndexStore | undefined;
  private storeSettings: SightlineSettings | undefined;
  private opening: Promise<IndexStore> | undefined;
  private running: Promise<IndexReport> | undefined;
  private searchIndex: { store: IndexStore; index: SearchIndex } | undefined;
  private preparer: Promise<PreparationWorkerPool> | undefined;
  lastReport: IndexReport | undefined;

  constructor(
    private readonly indexDir: string | undefined,
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get state(): ServiceState {
    return this.currentState;
  }

  get isIndexing(): boolean {
    return this.running !== undefined;
  }

  get hasWorkspace(): boolean {
    return this.indexDir !== undefined && workspaceRoots().length > 0;
  }

  /** Reads the index's state without loading vectors, for the status bar at start-up. */
  async refreshState(): Promise<void> {
    if (!this.indexDir) return;
    // The manifest alone, without loading the core: this runs at every start-up.
    const manifest = await readManifest(path.join(this.indexDir, MANIFEST_FILE)).catch(() => undefined);
    if (!manifest || !manifest.segments.length) return this.setState({ kind: 'empty' });
    if (this.store) return this.setStateFromStore(this.store);
    this.setState({ kind: 'ready', files: -1, items: manifest.segments.reduce((n, s) => n + s.count, 0) });
  }

  async openStore(): Promise<IndexStore> {
    if (!this.indexDir) throw new Error('Open a folder or workspace to use Sightline.');
    const settings = readSettings();
    if (this.store && this.storeSettings && sameIdentity(this.storeSettings, settings)) return this.store;
    this.opening ??= (async () => {
      await this.store?.close();
      this.store = undefined;
      const { IndexStore } = await loadCore();
      const store = await IndexStore.open(this.indexDir!, indexIdentityFrom(settings));
      this.store = store;
      this.storeSettings = settings;
      return store;
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Whether a key is set for the configured endpoint (without one, only text matches are found). */
  async hasKey(): Promise<boolean> {
    return (await this.keys.get(readSettings().endpoint)) !== undefined;
  }

  async client(settings: SightlineSettings = readSettings()): Promise<EmbeddingClient | undefined> {
    const key = await this.keys.get(settings.endpoint);
    if (!key) return undefined;
    const { EmbeddingClient } = await loadCore();
    return new EmbeddingClient(clientOptionsFrom(settings, key));
  }

  /** Runs (or joins) an indexing job over every workspace folder, or over just `files`. */
  async index(onProgress: (progress: IndexProgress) => void, token: vscode.CancellationToken, files?: Array<{ root: string; path: string }>): Promise<IndexReport> {
    if (this.running) throw new Error('Sightline is already indexing this workspace.');
    const run = this.runIndexer(onProgress, token, files);
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = undefined;
    }
  }

  private async runIndexer(onProgress: (progress: IndexProgress) => void, token: vscode.CancellationToken, files?: Array<{ root: string; path: string }>): Promise<IndexReport> {
    const settings = readSettings();
    const store = await this.openStore();
    const client = await this.client(settings);
    if (!client) throw new MissingKeyError(settings.endpoint);
    const { Indexer } = await loadCore();
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
    this.setState({ kind: 'indexing' });
    try {
      const preparer = await this.preparationPool();
      const indexer = new Indexer(store, client, { ...indexerOptionsFrom(settings, workspaceRoots()), preparer });
      const progress = (p: IndexProgress) => {
        this.setState({ kind: 'indexing', progress: p });
        onProgress(p);
      };
      const report = files ? await indexer.update(files, { signal: controller.signal, onProgress: progress }) : await indexer.run({ signal: controller.signal, onProgress: progress });
      this.lastReport = files && this.lastReport ? mergeReports(this.lastReport, report) : report;
      this.logReport(report);
      this.setStateFromStore(store, report.fatal?.message);
      return report;
    } catch (error) {
      this.setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      cancel.dispose();
      await client.close();
    }
  }

  async search(query: SearchQuery, options: SearchOptions): Promise<SearchResponse> {
    const store = await this.openStore();
    const settings = readSettings();
    const client = await this.client(settings);
    const { SearchEngine, SearchIndex } = await loadCore();
    if (this.searchIndex?.store !== store) this.searchIndex = { store, index: new SearchIndex(store) };
    const engine = new SearchEngine(store, client, { queryInstruction: settings.queryInstruction, pixelBudget: settings.pixelBudget }, this.searchIndex.index);
    try {
      return await engine.search(query, options);
    } finally {
      await client?.close();
    }
  }

  async duplicates(): Promise<DuplicateGroup[]> {
    const store = await this.openStore();
    const { findDuplicateImages, SearchIndex } = await loadCore();
    if (this.searchIndex?.store !== store) this.searchIndex = { store, index: new SearchIndex(store) };
    return findDuplicateImages(store, this.searchIndex.index);
  }

  /** The thumbnail file of an indexed image, for showing it as the query of Find Similar. */
  async imageThumbnail(root: string, relativePath: string): Promise<string | undefined> {
    const store = await this.openStore();
    const item = store.catalog.getFile(root, relativePath)?.items.find((i) => i.thumbnail !== undefined);
    return item?.thumbnail ? store.thumbnailPath(item.thumbnail) : undefined;
  }

  /** Whether a file is in the index: the panel may only open files that are. */
  async isIndexed(root: string, relativePath: string): Promise<boolean> {
    const store = await this.openStore();
    return store.catalog.getFile(root, relativePath) !== undefined;
  }

  async clear(): Promise<void> {
    if (this.running) throw new Error('Cancel indexing before clearing the index.');
    await this.store?.close();
    this.store = undefined;
    this.searchIndex = undefined;
    this.lastReport = undefined;
    if (this.indexDir) {
      const { IndexStore } = await loadCore();
      await IndexStore.destroy(this.indexDir);
    }
    this.setState({ kind: 'empty' });
  }

  thumbnailRoot(): vscode.Uri | undefined {
    return this.indexDir ? vscode.Uri.file(path.join(this.indexDir, 'thumbs')) : undefined;
  }

  async dispose(): Promise<void> {
    this.stateEmitter.dispose();
    await Promise.all([this.store?.close(), this.preparer?.then((pool) => pool.close())]);
  }

  /**
   * Image decoding and PDF rendering run in worker threads, so the extension host's event loop
   * stays responsive while a workspace is indexed. Started on first use; its threads end when idle.
   */
  private preparationPool(): Promise<PreparationWorkerPool> {
    this.preparer ??= import('../core/sources/worker/preparationWorkerPool').then(({ PreparationWorkerPool }) => new PreparationWorkerPool());
    return this.preparer;
  }

  private setStateFromStore(store: IndexStore, error?: string): void {
    if (error) return this.setState({ kind: 'error', message: error });
    let items = 0;
    for (const file of store.catalog.allFiles()) items += file.items.length;
    this.setState(store.catalog.fileCount ? { kind: 'ready', files: store.catalog.fileCount, items } : { kind: 'empty' });
  }

  private setState(state: ServiceState): void {
    this.currentState = state;
    this.stateEmitter.fire(state);
  }

  private logReport(report: IndexReport): void {
    this.log.info(
      `Indexing ${report.cancelled ? 'cancelled' : report.fatal ? 'stopped' : 'finished'}: ${report.filesSeen} files seen, ` +
        `${report.filesIndexed} indexed, ${report.filesReused} reused, ${report.filesRemoved} removed, ` +
        `${report.itemsEmbedded} items embedded, ${report.itemsReused} reused, ${report.failed.length} failed, ${report.skipped.length} skipped ` +
        `in ${(report.durationMs / 1000).toFixed(1)} s.`,
    );
    if (report.fatal) this.log.error(report.fatal.message);
    for (const failure of report.failed) this.log.warn(`${failure.path}: ${failure.message}`);
    for (const skip of report.skipped) this.log.info(`skipped ${skip.path || '(folder)'}: ${skip.message}`);
  }
}

export class MissingKeyError extends Error {
  override name = 'MissingKeyError';
  constructor(readonly endpoint: string) {
    super(`No API key is set for ${new URL(endpoint).host}. Run "Sightline: Set API Key" first.`);
  }
}

function sameIdentity(a: SightlineSettings, b: SightlineSettings): boolean {
  return a.model === b.model && a.dimensions === b.dimensions;
}

function mergeReports(previous: IndexReport, update: IndexReport): IndexReport {
  const touched = new Set([...update.failed, ...update.skipped].map((f) => `${f.root}\u0000${f.path}`));
  return {
    ...update,
    failed: [...previous.failed.filter((f) => !touched.has(`${f.root}\u0000${f.path}`)), ...update.failed],
    skipped: [...previous.skipped.filter((f) => !touched.has(`${f.root}\u0000${f.path}`)), ...update.skipped],
  };
}
