import { CorruptIndexError } from '../store/indexErrors';
import type { IndexStore } from '../store/indexStore';
import { CorruptVectorFileError } from '../vectors/corruptVectorFileError';
import type { StoredSegment } from '../vectors/storedSegment';
import { VectorSearcher } from '../vectors/vectorSearcher';
import { ItemDirectory } from './itemDirectory';
import type { LexicalHit } from './lexicalIndex';

/**
 * The in-memory structures search needs, derived from the store and kept in step with it:
 * new segments are added to the searcher as checkpoints land; the item tables are rebuilt
 * when the catalog changed; a compaction (rows renumbered) rebuilds everything.
 */
export class SearchIndex {
  private searcher: VectorSearcher | undefined;
  private loadedSegments: StoredSegment[] = [];
  private loadedRows = 0;
  private generation = -1;
  private directoryRevision = -1;
  private directoryCache: ItemDirectory | undefined;

  constructor(
    private readonly store: IndexStore,
    /**
     * False for a process that answers one query and exits (the CLI): each segment's scan codes
     * are read when scanned instead of held, so its peak memory does not grow with the index's
     * codes. A window keeps them, for the next query.
     */
    private readonly holdScanCodes = true,
  ) {}

  get directory(): ItemDirectory {
    const revision = this.store.catalog.revision;
    if (!this.directoryCache || this.directoryRevision !== revision) {
      this.directoryCache = new ItemDirectory(this.store.catalog);
      this.directoryRevision = revision;
    }
    return this.directoryCache;
  }

  /**
   * Word matching, once the store's lexical index is loaded (the first call waits for it; it
   * follows the catalog from then on). Hits name entries of the directory of the moment.
   */
  async lexical(): Promise<{ query(text: string, limit: number): LexicalHit[] }> {
    const words = await this.store.lexicalIndex();
    return {
      query: (text, limit) => {
        const directory = this.directory;
        return words.query(text, limit).flatMap((match) => {
          const id = directory.entryIdOf(match.file, match.item);
          return id === undefined ? [] : [{ id, score: match.score, matchedTerms: match.matchedTerms }];
        });
      },
    };
  }

  /** The vector searcher over committed rows, or undefined while the index has no vectors. */
  get vectors(): VectorSearcher | undefined {
    const segments = this.store.committedSegments;
    if (this.generation !== this.store.generation || segments.length < this.loadedSegments.length) {
      this.searcher = undefined;
      this.loadedSegments = [];
      this.loadedRows = 0;
      this.generation = this.store.generation;
    }
    if (!segments.length) return undefined;
    this.searcher ??= new VectorSearcher({
      modelId: this.store.model,
      fullDims: this.store.vectorDims,
      scanDims: Math.min(this.store.scanDims, this.store.vectorDims),
    });
    for (const segment of segments.slice(this.loadedSegments.length)) {
      try {
        this.searcher.addSegmentFile(segment, this.loadedRows, { hold: this.holdScanCodes });
      } catch (error) {
        if (error instanceof CorruptVectorFileError) throw new CorruptIndexError(`vector file ${segment.path} is damaged: ${error.message}`, { cause: error });
        throw error;
      }
      this.loadedSegments.push(segment);
      this.loadedRows += segment.count;
    }
    return this.searcher;
  }

  get rowCount(): number {
    return this.loadedRows;
  }
}
