import { createHash } from 'node:crypto';
import type { EmbeddingClient } from '../../embed/embeddingClient';
import { EmbeddingError } from '../../embed/embeddingError';
import { DEFAULT_QUERY_INSTRUCTION } from '../../common/embeddingInput';
import { fileKey } from '../../common/fileKey';
import { inProcessPreparer, type SourcePreparer } from '../../sources/worker/sourcePreparer';
import type { IndexStore } from '../store/indexStore';
import { fuseScores } from './fuseScores';
import type { DirectoryEntry } from './itemDirectory';
import { SearchIndex } from './searchIndex';
import type { SearchOptions, SearchQuery, SearchResponse, SearchResult } from './searchTypes';

export interface SearchEngineOptions {
  readonly queryInstruction?: string;
  readonly pixelBudget?: number;
  /** Prepares query images like indexed ones (the extension passes its worker threads). */
  readonly preparer?: SourcePreparer;
}

/**
 * Answers text, image and image+text queries with hybrid ranking. Without a client (no key)
 * or when the service fails, it falls back to lexical matching and says so.
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
    const directory = this.index.directory;
    const accept = directory.entryFilter(options.filters);
    const wanted = top * 5;

    let vectorScores = new Map<number, number>();
    let notice: string | undefined;
    let vectorFailed = false;
    try {
      const vector = await this.queryVector(query, options.signal);
      if (vector) vectorScores = this.vectorMatches(vector, wanted, accept);
    } catch (error) {
      if (!(error instanceof EmbeddingError) || error.kind === 'cancelled' || !query.text) throw error;
      vectorFailed = true;
      notice = `Showing text matches only: the query could not be embedded. ${error.message}`;
    }
    if (!this.client && !query.similarTo && query.text && !notice) {
      vectorFailed = true;
      notice = 'Showing text matches only: no API key is set, so the query was not embedded.';
    }

    const lexicalScores = new Map<number, number>();
    if (query.text && !query.imageBytes && !query.similarTo) {
      for (const hit of this.index.lexical.query(query.text, wanted * 2)) {
        if (!accept || accept(hit.id)) lexicalScores.set(hit.id, hit.score);
      }
    }

    const fused = fuseScores(vectorScores, lexicalScores);
    // Similar to an image: never the image itself, neither as its file nor where a document shows it.
    const self = query.similarTo;
    const isSelf = (r: SearchResult) => !!self && r.root === self.root && (r.path === self.path || r.target === self.path);
    const ranked = [...fused.entries()]
      .filter(([, score]) => score >= (options.minScore ?? 0))
      .sort((a, b) => b[1] - a[1])
      .map(([id, score]) => this.toResult(directory.entries[id]!, score, vectorScores.get(id)))
      .filter((r) => !isSelf(r));
    const results = (options.groupByFile ?? true ? groupByFile(ranked) : ranked).slice(0, top);
    const mode = vectorFailed ? 'lexical' : lexicalScores.size ? 'hybrid' : 'vector';
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
    const images = query.imageBytes ? [(await (this.options.preparer ?? inProcessPreparer).prepareImage({ bytes: query.imageBytes }, { pixelBudget: this.options.pixelBudget }, signal)).embeddable] : undefined;
    if (!images && !query.text?.trim()) return undefined;
    return this.client.embedQuery({ text: query.text, images, instruction: this.options.queryInstruction ?? DEFAULT_QUERY_INSTRUCTION }, signal);
  }

  private vectorMatches(vector: Float32Array, wanted: number, accept: ((id: number) => boolean) | undefined): Map<number, number> {
    const searcher = this.index.vectors;
    const scores = new Map<number, number>();
    if (!searcher) return scores;
    if (vector.length !== searcher.fullDims) {
      throw new Error(`the query vector has ${vector.length} dimensions but the index holds ${searcher.fullDims}; rebuild the index`);
    }
    const directory = this.index.directory;
    const filter = directory.rowMask(this.index.rowCount, accept ?? (() => true));
    for (const hit of searcher.search(vector, { k: wanted, filter })) {
      for (const id of directory.entriesForRow(hit.row)) if (!accept || accept(id)) scores.set(id, hit.score);
    }
    return scores;
  }

  private toResult({ file, item }: DirectoryEntry, score: number, similarity: number | undefined): SearchResult {
    return {
      root: file.root,
      path: file.path,
      kind: item.kind,
      part: item.part,
      score,
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

