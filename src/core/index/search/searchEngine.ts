import { createHash } from 'node:crypto';
import type { EmbeddingClient } from '../../embed/embeddingClient';
import { EmbeddingError } from '../../embed/embeddingError';
import { DEFAULT_QUERY_INSTRUCTION } from '../../common/embeddingInput';
import { fileKey } from '../../common/fileKey';
import { inProcessPreparer, type SourcePreparer } from '../../sources/worker/sourcePreparer';
import type { IndexStore } from '../store/indexStore';
import type { DirectoryEntry } from './itemDirectory';
import { lexicalEvidence } from './ranking/lexicalEvidence';
import { rankItems } from './ranking/rankItems';
import { vectorEvidence } from './ranking/vectorEvidence';
import { SearchIndex } from './searchIndex';
import type { SearchOptions, SearchQuery, SearchResponse, SearchResult } from './searchTypes';

export interface SearchEngineOptions {
  readonly queryInstruction?: string;
  readonly pixelBudget?: number;
  /** Prepares query images like indexed ones (the extension passes its worker threads). */
  readonly preparer?: SourcePreparer;
}

/**
 * Answers text, image and image+text queries with hybrid ranking (see ranking/): vector
 * candidates drawn per kind of item and calibrated against that kind's own score distribution,
 * fused with BM25. Without a client (no key) or when the service fails, it falls back to
 * lexical matching and says so.
 */
export class SearchEngine {
  readonly index: SearchIndex;

  constructor(
    private readonly store: IndexStore,
    private readonly client: EmbeddingClient | undefined,
    private readonly options: SearchEngineOptions = {},
    /** Derived tables to share between engines over the same store (they are costly to build). */
    index?: SearchIndex,
  ) {
    this.index = index ?? new SearchIndex(store);
  }

  async search(query: SearchQuery, options: SearchOptions = {}): Promise<SearchResponse> {
    const top = options.top ?? 20;
    const signals = options.mode ?? 'hybrid';
    const wanted = top * 5;

    let vector: Float32Array | undefined;
    let notice: string | undefined;
    let vectorFailed = false;
    if (signals !== 'lexical') {
      try {
        vector = await this.queryVector(query, options.signal);
      } catch (error) {
        if (!(error instanceof EmbeddingError) || error.kind === 'cancelled' || !query.text) throw error;
        vectorFailed = true;
        notice = `Showing text matches only: the query could not be embedded. ${error.message}`;
      }
      if (!this.client && !query.similarTo && query.text && !notice) {
        vectorFailed = true;
        notice = 'Showing text matches only: no API key is set, so the query was not embedded.';
      }
    }

    // Words are matched only for a text query: "like this, but dark" is about the picture.
    const text = signals !== 'vector' && !query.imageBytes && !query.similarTo ? query.text : undefined;
    const words = text ? await this.index.lexical() : undefined;

    // Taken after the query is embedded, with no await from here on: a commit while the query was
    // being embedded changes the catalog, and the directory, the word index and the vector tables
    // must all describe the same revision (entry ids differ between revisions).
    const directory = this.index.directory;
    const accept = directory.entryFilter(options.filters);
    const hits = text && words ? words.query(text, wanted * 2).filter((hit) => !accept || accept(hit.id)) : [];
    const lexical = text ? lexicalEvidence(hits, text, directory) : new Map<number, number>();
    const vectors = vector ? vectorEvidence(this.index, vector, { perGroup: wanted, accept, alsoScore: lexical.keys() }) : undefined;

    // Similar to an image: never the image itself, neither as its file nor where a document shows it.
    const self = query.similarTo;
    const isSelf = (r: SearchResult) => !!self && r.root === self.root && (r.path === self.path || r.target === self.path);
    const ranked = rankItems(vectors, lexical)
      // By default only what stands above its kind's background: the rest is no better than unrelated.
      .filter((item) => (options.minScore === undefined ? item.relevance > 0 : item.relevance >= options.minScore))
      .map((item) => this.toResult(directory.entries[item.id]!, item.relevance, item.similarity))
      .filter((r) => !isSelf(r));
    const results = ((options.groupByFile ?? true) ? groupByFile(ranked) : ranked).slice(0, top);
    const mode = vectorFailed || !vectors ? 'lexical' : lexical.size ? 'hybrid' : 'vector';
    return { results, mode, ...(notice ? { notice } : {}) };
  }

  /** Vector of the query; stored vectors for indexed images, so those cost no API call. */
  private async queryVector(query: SearchQuery, signal?: AbortSignal): Promise<Float32Array | undefined> {
    if (query.similarTo) {
      const file = this.store.catalog.getFile(query.similarTo.root, query.similarTo.path);
      const item = file?.items.find((i) => i.part === 'image') ?? file?.items[0];
      if (!item) throw new Error(`${query.similarTo.path} is not in the index yet: index the workspace first`);
      return this.store.vectorAt(item.row);
    }
    if (query.imageBytes && !query.text) {
      const hash = createHash('sha256').update(query.imageBytes).digest('hex');
      const twin = this.store.catalog.findByHash(hash)?.items.find((i) => i.part === 'image');
      if (twin && twin.row < this.index.rowCount) return this.store.vectorAt(twin.row);
    }
    if (!this.client) return undefined;
    const images = query.imageBytes
      ? [
          (await (this.options.preparer ?? inProcessPreparer).prepareImage({ bytes: query.imageBytes }, { pixelBudget: this.options.pixelBudget }, signal))
            .embeddable,
        ]
      : undefined;
    if (!images && !query.text?.trim()) return undefined;
    return this.client.embedQuery({ text: query.text, images, instruction: this.options.queryInstruction ?? DEFAULT_QUERY_INSTRUCTION }, signal);
  }

  private toResult({ file, item }: DirectoryEntry, relevance: number, similarity: number | undefined): SearchResult {
    return {
      root: file.root,
      path: file.path,
      kind: item.kind,
      part: item.part,
      score: relevance,
      ...(similarity !== undefined ? { similarity } : {}),
      ...(item.line !== undefined ? { line: item.line, endLine: item.endLine } : {}),
      ...(item.page !== undefined ? { page: item.page } : {}),
      ...(item.cell !== undefined ? { cell: item.cell } : {}),
      ...(item.headingPath?.length ? { headingPath: item.headingPath } : {}),
      ...(file.title ? { title: file.title } : {}),
      ...(item.snippet ? { snippet: item.snippet } : {}),
      ...(item.target ? { target: item.target } : {}),
      ...(item.thumbnail ? { thumbnailPath: this.store.thumbnailPath(item.thumbnail) } : {}),
    };
  }
}

function groupByFile(ranked: SearchResult[]): SearchResult[] {
  const groups = new Map<string, { best: SearchResult; others: SearchResult[] }>();
  for (const result of ranked) {
    const key = fileKey(result.root, result.path);
    const group = groups.get(key);
    if (group) group.others.push(result);
    else groups.set(key, { best: result, others: [] });
  }
  return [...groups.values()].map(({ best, others }) => (others.length ? { ...best, others } : best));
}
