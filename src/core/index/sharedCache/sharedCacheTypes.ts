/** What the indexer asks of a shared cache: a vector for an item, before the item costs a request. */
export interface SharedCacheLookup {
  /** The cached vector for the item with this embedKey, or undefined when the cache has none (or only a bad one). */
  lookup(embedKey: string): Promise<Float32Array | undefined>;
  /** Where it came from and what it holds, for the run's report. */
  readonly use: SharedCacheUse;
}

/** What a run says about the shared cache it used, for the summary. */
export interface SharedCacheUse {
  /** Where it came from: a path, or a URL without credentials. */
  readonly source: string;
  /** Entries that could be handed out. */
  readonly entries: number;
  /** Entries left out because their vector failed the checks. */
  readonly skipped: number;
  /** Things the user should know: a bad entry skipped, a local copy used because the server was unreachable. */
  readonly notes: readonly string[];
}
