import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileKey } from '../core/common/fileKey';
import type { EmbeddingClient } from '../core/embed/embeddingClient';
import type { IndexProgress } from '../core/index/indexer/indexProgress';
import type { IndexReport } from '../core/index/indexer/indexReport';
import type { DuplicateGroup } from '../core/index/search/duplicateImages';
import type { SearchIndex } from '../core/index/search/searchIndex';
import type { SearchOptions, SearchQuery, SearchResponse } from '../core/index/search/searchTypes';
import { type IndexSummary, readManifest } from '../core/index/store/indexManifest';
import type { IndexStore } from '../core/index/store/indexStore';
import { cacheIdentityFrom, clientOptionsFrom, indexerOptionsFrom, indexIdentityFrom, type SightlineSettings } from '../core/settings/sightlineSettings';
import type { SharedCache } from '../core/index/sharedCache/openSharedCache';
import type { PreparationWorkerPool } from '../core/sources/worker/preparationWorkerPool';
import type { ApiKeyStore } from './apiKeyStore';
import { indexProblems, type IndexProblem } from './indexProblems';
import type { IndexedFileFacts, IndexOptions, IndexService, ServiceState } from './indexService';
import { loadCore } from './loadCore';
import { readSettings } from './settingsReader';
import { workspaceRoots } from './workspaceRoots';

/**
 * Owns the workspace's index for the extension: opens it on first use, runs one indexing job
 * at a time, answers searches, and tells the status bar and panel what state it is in.
 */
export class SightlineService implements IndexService, vscode.Disposable {
  private readonly stateEmitter = new vscode.EventEmitter<ServiceState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly searchEmitter = new vscode.EventEmitter<'query' | 'similar'>();
  /** A search answered: by words or an image ('query'), or Find Similar ('similar'). */
  readonly onDidSearch = this.searchEmitter.event;
  private currentState: ServiceState = { kind: 'empty' };
  private store: IndexStore | undefined;
  private storeSettings: SightlineSettings | undefined;
  private opening: Promise<IndexStore> | undefined;
  private running: Promise<IndexReport> | undefined;
  private runController: AbortController | undefined;
  /** True once the running job holds its store: from then on it is cancelled, never closed under it (a run still opening one is never waited for: it waits for us). */
  private runHoldsStore = false;
  /** While another window writes the index, this one reads it and polls for its commits. */
  private follow: ReturnType<typeof setInterval> | undefined;
  private followedStamp = '';
  private searchIndex: { store: IndexStore; index: SearchIndex } | undefined;
  private preparer: Promise<PreparationWorkerPool> | undefined;
  /** The shared cache of the last run, with what it was opened for. */
  private sharedCache: { readonly key: string; readonly cache: SharedCache } | undefined;
  lastReport: IndexReport | undefined;
  private disposed = false;

  constructor(
    private readonly indexDir: string | undefined,
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly cacheAccess: SharedCacheAccess = { token: () => Promise.resolve(undefined) },
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
    const manifest = await readManifest(this.indexDir).catch(() => undefined);
    if (!manifest || !manifest.segments.length) return this.setState({ kind: 'empty' });
    if (this.store) return this.setStateFromStore(this.store);
    this.setState(manifest.summary ? readyState(manifest.summary) : { kind: 'ready', files: -1, items: manifest.segments.reduce((n, s) => n + s.count, 0) });
  }

  /** True while another window (or a CLI run) writes this index and this one only reads it. */
  get isFollowing(): boolean {
    return this.store?.readOnly === true;
  }

  /**
   * The index, for writing when this window can be its writer, else read-only (another window
   * writes it; this one follows its commits). With `forWriting`, a read-only store is upgraded
   * if the other writer has gone, or IndexBusyError says who still writes. `forRun`: the store
   * goes to the indexing run, which is marked as its writer before anyone else can look.
   */
  async openStore(forWriting = false, forRun = false): Promise<IndexStore> {
    if (!this.indexDir) throw new Error('Open a folder or workspace to use Sightline.');
    // An open under way may be for other settings (a search just after a settings change meets
    // the run's open): joining it would hand out a store of the old model, so wait and look again.
    while (this.opening) await this.opening.catch(() => undefined);
    const settings = readSettings();
    const current = this.store;
    if (current && this.storeSettings && sameIdentity(this.storeSettings, settings) && !(forWriting && current.readOnly)) return this.handOut(current, forRun);
    this.opening = (async () => {
      // A model or size change never pulls the store from under a run: the run is cancelled
      // (its vectors are of the old model anyway) and what it finished is kept.
      if (this.runHoldsStore && this.running && current && !current.readOnly && !sameIdentity(this.storeSettings!, settings)) {
        this.runController?.abort(new Error('the model or dimensions setting changed'));
        await this.running.catch(() => undefined);
      }
      this.stopFollowing();
      await this.store?.close();
      this.store = undefined;
      this.searchIndex = undefined;
      const { IndexStore, IndexBusyError } = await loadCore();
      const identity = indexIdentityFrom(settings);
      let store: IndexStore;
      try {
        store = await IndexStore.open(this.indexDir!, identity, { lock: { wait: false, holderDescription: 'a VS Code window' } });
      } catch (error) {
        if (!(error instanceof IndexBusyError)) throw error;
        // Stamped before the open: a commit the writer makes while the index is read is then
        // seen as a change, not taken for the state this window already holds.
        const openedAt = await this.manifestStamp();
        store = await IndexStore.openReadOnly(this.indexDir!, identity);
        this.store = store;
        this.storeSettings = settings;
        this.startFollowing(openedAt);
        // What the other window has committed so far; a writer that is done commits nothing more,
        // so waiting for its next commit would leave this window showing no index at all.
        this.setStateFromStore(store);
        if (forWriting) throw error;
        return store;
      }
      this.store = store;
      this.storeSettings = settings;
      return this.handOut(store, forRun);
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private handOut(store: IndexStore, forRun: boolean): IndexStore {
    // Set before the run resumes (this.running may not be assigned yet when the store is at hand at once).
    if (forRun) this.runHoldsStore = true;
    return store;
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

  /** Runs an indexing job over every workspace folder, or over just `files`; refuses while one runs. */
  async index(
    onProgress: (progress: IndexProgress) => void,
    token: vscode.CancellationToken,
    files?: Array<{ root: string; path: string }>,
    options: IndexOptions = {},
  ): Promise<IndexReport> {
    if (this.running) throw new Error('Sightline is already indexing this workspace.');
    const controller = new AbortController();
    const run = this.runIndexer(onProgress, token, controller, files, options);
    this.running = run;
    this.runController = controller;
    try {
      return await run;
    } finally {
      this.running = undefined;
      this.runController = undefined;
      this.runHoldsStore = false;
    }
  }

  private async runIndexer(
    onProgress: (progress: IndexProgress) => void,
    token: vscode.CancellationToken,
    controller: AbortController,
    files: Array<{ root: string; path: string }> | undefined,
    { retryFailed = false, withoutSharedCache = false }: IndexOptions,
  ): Promise<IndexReport> {
    const settings = readSettings();
    const store = await this.openStore(true, true);
    const client = await this.client(settings);
    if (!client) throw new MissingKeyError(settings.endpoint);
    const { Indexer } = await loadCore();
    let sharedCache: SharedCache | undefined;
    try {
      sharedCache = withoutSharedCache ? undefined : await this.sharedCacheFor(settings, store, files !== undefined);
    } catch (error) {
      await client.close();
      throw error;
    }
    const cancel = token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
    this.setState({ kind: 'indexing' });
    try {
      const preparer = await this.preparationPool();
      const indexer = new Indexer(store, client, { ...indexerOptionsFrom(settings, workspaceRoots()), preparer, ...(sharedCache ? { sharedCache } : {}) });
      const progress = (p: IndexProgress) => {
        this.setState({ kind: 'indexing', progress: p });
        onProgress(p);
      };
      const report = files
        ? await indexer.update(files, { signal: controller.signal, onProgress: progress })
        : await indexer.run({ signal: controller.signal, onProgress: progress, retryFailed });
      this.lastReport = files && this.lastReport ? mergeReports(this.lastReport, report) : report;
      this.logReport(report);
      this.setStateFromStore(store, report.fatal?.message);
      this.warmSearch(store);
      return report;
    } catch (error) {
      this.setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      cancel.dispose();
      await client.close();
    }
  }

  /**
   * The shared cache the settings name, opened and checked. Index Workspace opens it afresh
   * (an http(s) cache is revalidated with its ETag); watcher updates reuse the one opened last.
   * A cache that cannot be used stops Index Workspace (SharedCacheError: the command asks
   * whether to go on without it) but never a watcher update, which goes on without it.
   */
  private async sharedCacheFor(settings: SightlineSettings, store: IndexStore, update: boolean): Promise<SharedCache | undefined> {
    const spec = withHomeExpanded(settings.sharedCache);
    if (!spec) {
      await this.dropSharedCache();
      return undefined;
    }
    const identity = cacheIdentityFrom(settings);
    const key = JSON.stringify([spec, identity, settings.sharedCacheMaxMegabytes]);
    if (update && this.sharedCache?.key === key) return this.sharedCache.cache;
    const { SharedCache, SharedCacheError } = await loadCore();
    try {
      const token = await this.cacheAccess.token(spec);
      const cache = await SharedCache.open(spec, {
        identity,
        vectorDims: store.vectorDims,
        maxBytes: settings.sharedCacheMaxMegabytes * 1024 * 1024,
        downloadsDir: this.cacheAccess.downloadsDir ?? path.join(path.dirname(this.indexDir!), 'shared-cache'),
        ...(token ? { token } : {}),
        cwd: os.homedir(),
      });
      await this.dropSharedCache();
      this.sharedCache = { key, cache };
      return cache;
    } catch (error) {
      if (!update || !(error instanceof SharedCacheError)) throw error;
      this.log.warn(`The shared cache was not used for this update: ${error.message}`);
      return undefined;
    }
  }

  private async dropSharedCache(): Promise<void> {
    const held = this.sharedCache;
    this.sharedCache = undefined;
    await held?.cache.close();
  }

  async search(query: SearchQuery, options: SearchOptions): Promise<SearchResponse> {
    const store = await this.openStore();
    const settings = readSettings();
    const client = await this.client(settings);
    const { SearchEngine, SearchIndex } = await loadCore();
    if (this.searchIndex?.store !== store) this.searchIndex = { store, index: new SearchIndex(store) };
    const engine = new SearchEngine(store, client, { queryInstruction: settings.queryInstruction, pixelBudget: settings.pixelBudget }, this.searchIndex.index);
    try {
      const response = await engine.search(query, options);
      this.searchEmitter.fire(query.similarTo ? 'similar' : 'query');
      return response;
    } finally {
      await client?.close();
    }
  }

  /**
   * Builds the search tables (item directory, lexical index, vector searcher) for the store as
   * a run left it, in the background, so the first query after indexing does not pay for them.
   */
  private warmSearch(store: IndexStore): void {
    setTimeout(() => {
      this.buildSearchTables(store).catch((error: unknown) => this.log.warn(`Preparing search after indexing failed: ${String(error)}`));
    }, 0);
  }

  private async buildSearchTables(store: IndexStore): Promise<void> {
    const { SearchIndex } = await loadCore();
    if (this.store !== store) return;
    if (this.searchIndex?.store !== store) this.searchIndex = { store, index: new SearchIndex(store) };
    const { index } = this.searchIndex;
    void index.vectors;
    await index.lexical();
  }

  async openInBackground(): Promise<void> {
    await this.refreshState();
    const before = this.currentState;
    // Only an index that exists and that nothing has opened yet (a search or a run got there first).
    if (this.disposed || before.kind !== 'ready' || this.store || this.opening || this.running) return;
    this.setState({ ...before, opening: true });
    const stillOpening = () => this.currentState.kind === 'ready' && this.currentState.opening === true;
    try {
      const store = await this.openStore();
      await this.buildSearchTables(store);
      if (stillOpening()) this.setStateFromStore(store);
    } catch (error) {
      // The first search opens it again and reports what went wrong where the user is looking.
      this.log.warn(`Opening the index in the background failed: ${error instanceof Error ? error.message : String(error)}`);
      if (stillOpening()) this.setState(before);
    }
  }

  async duplicates(): Promise<DuplicateGroup[]> {
    const store = await this.openStore();
    const { findDuplicateImages, SearchIndex } = await loadCore();
    if (this.searchIndex?.store !== store) this.searchIndex = { store, index: new SearchIndex(store) };
    return findDuplicateImages(store, this.searchIndex.index);
  }

  async describeFiles(files: ReadonlyArray<{ root: string; path: string }>): Promise<Map<string, IndexedFileFacts>> {
    const store = await this.openStore();
    const facts = new Map<string, IndexedFileFacts>();
    for (const { root, path: relative } of files) {
      const record = store.catalog.getFile(root, relative);
      if (!record) continue;
      const name = record.items.find((item) => item.thumbnail)?.thumbnail;
      const thumbnail = name ? store.thumbnailPath(name) : undefined;
      facts.set(fileKey(root, relative), { bytes: record.size, modified: record.mtimeMs, ...(thumbnail ? { thumbnail } : {}) });
    }
    return facts;
  }

  async problems(): Promise<IndexProblem[]> {
    const store = await this.openStore();
    return indexProblems(store.catalog.allFiles(), this.lastReport);
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
    this.stopFollowing();
    await this.store?.close();
    this.store = undefined;
    this.searchIndex = undefined;
    this.lastReport = undefined;
    if (this.indexDir) {
      const { IndexStore } = await loadCore();
      // Another window that writes the index keeps it: clearing waits for nobody.
      await IndexStore.destroy(this.indexDir, { wait: false, holderDescription: 'a VS Code window' });
    }
    this.setState({ kind: 'empty' });
  }

  thumbnailRoot(): vscode.Uri | undefined {
    return this.indexDir ? vscode.Uri.file(path.join(this.indexDir, 'thumbs')) : undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    // An open under way (the background one) finishes first, so the store it makes is closed below.
    await this.opening?.catch(() => undefined);
    this.stopFollowing();
    this.runController?.abort(new Error('the window is closing'));
    await this.running?.catch(() => undefined);
    this.stateEmitter.dispose();
    this.searchEmitter.dispose();
    await Promise.all([this.store?.close(), this.preparer?.then((pool) => pool.close()), this.dropSharedCache()]);
  }

  /**
   * Image decoding and PDF rendering run in worker threads, so the extension host's event loop
   * stays responsive while a workspace is indexed. Started on first use; its threads end when idle.
   */
  private preparationPool(): Promise<PreparationWorkerPool> {
    this.preparer ??= import('../core/sources/worker/preparationWorkerPool').then(({ PreparationWorkerPool }) => new PreparationWorkerPool());
    return this.preparer;
  }

  /** Polls the manifest (a stat every two seconds) and reloads the index when a writer commits. */
  private startFollowing(openedAt: string): void {
    this.stopFollowing();
    this.followedStamp = openedAt;
    this.follow = setInterval(() => {
      void this.manifestStamp().then(async (value) => {
        if (value === this.followedStamp || this.opening || !this.store?.readOnly) return;
        this.followedStamp = value;
        await this.reloadFollowed().catch((error: unknown) => this.log.warn(`Reloading the index another window writes failed: ${String(error)}`));
      });
    }, FOLLOW_INTERVAL_MS);
    this.follow.unref?.();
  }

  /** What changes whenever a writer commits: the manifest is replaced by a rename, so its inode changes. */
  private manifestStamp(): Promise<string> {
    return fs.lstat(path.join(this.indexDir!, 'manifest.json')).then(
      (s) => `${s.mtimeMs}:${s.size}:${s.ino}`,
      () => '',
    );
  }

  private stopFollowing(): void {
    if (this.follow) clearInterval(this.follow);
    this.follow = undefined;
  }

  private async reloadFollowed(): Promise<void> {
    const { IndexStore } = await loadCore();
    const settings = this.storeSettings ?? readSettings();
    const store = await IndexStore.openReadOnly(this.indexDir!, indexIdentityFrom(settings));
    if (!this.store?.readOnly) return;
    this.store = store;
    this.searchIndex = undefined;
    this.setStateFromStore(store);
  }

  private setStateFromStore(store: IndexStore, error?: string): void {
    if (error) return this.setState({ kind: 'error', message: error });
    this.setState(store.catalog.fileCount ? readyState(store.summary) : { kind: 'empty' });
  }

  private setState(state: ServiceState): void {
    this.currentState = state;
    this.stateEmitter.fire(state);
  }

  private logReport(report: IndexReport): void {
    this.log.info(
      `Indexing ${report.cancelled ? 'cancelled' : report.fatal ? 'stopped' : 'finished'}: ${report.filesSeen} files seen, ` +
        `${report.filesIndexed} indexed, ${report.filesReused} reused, ${report.filesRemoved} removed, ` +
        `${report.itemsEmbedded} items embedded, ${report.itemsReused} reused, ${report.failed.length} failed, ${report.warnings.length} warnings, ${report.skipped.length} skipped ` +
        `in ${(report.durationMs / 1000).toFixed(1)} s.`,
    );
    if (report.fatal) this.log.error(report.fatal.message);
    for (const failure of report.failed) this.log.error(`${failure.path}: ${failure.message}`);
    for (const warning of report.warnings) this.log.warn(`${warning.path}: ${warning.message}`);
    for (const skip of report.skipped) this.log.info(`skipped ${skip.path || '(folder)'}: ${skip.message}`);
  }
}

/** What opening a shared cache needs from the extension: where downloads go, and the token for a URL. */
export interface SharedCacheAccess {
  /** The extension's global storage, so clones of one repository share one download. */
  readonly downloadsDir?: string;
  token(url: string): Promise<string | undefined>;
}

/** An index's files and items, summed over the kinds its manifest counts them by. */
function readyState({ files, items }: IndexSummary): ServiceState {
  const total = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((n, c) => n + c, 0);
  return { kind: 'ready', files: total(files), items: total(items) };
}

/** `~/caches/docs.slcache` in a setting means the home folder, as in a shell. */
function withHomeExpanded(spec: string): string {
  return spec === '~' || spec.startsWith('~/') ? path.join(os.homedir(), spec.slice(1)) : spec;
}

export class MissingKeyError extends Error {
  override name = 'MissingKeyError';
  constructor(readonly endpoint: string) {
    super(`No API key is set for ${new URL(endpoint).host}. Run "Sightline: Set API Key" first.`);
  }
}

const FOLLOW_INTERVAL_MS = 2000;

function sameIdentity(a: SightlineSettings, b: SightlineSettings): boolean {
  return a.model === b.model && a.dimensions === b.dimensions;
}

function mergeReports(previous: IndexReport, update: IndexReport): IndexReport {
  // Files this update looked at replace what the earlier run said about them.
  const touched = new Set([...update.failed, ...update.warnings, ...update.skipped].map((f) => fileKey(f.root, f.path)));
  return {
    ...update,
    warnings: [...previous.warnings.filter((f) => !touched.has(fileKey(f.root, f.path))), ...update.warnings],
    failed: [...previous.failed.filter((f) => !touched.has(fileKey(f.root, f.path))), ...update.failed],
    skipped: [...previous.skipped.filter((f) => !touched.has(fileKey(f.root, f.path))), ...update.skipped],
  };
}
