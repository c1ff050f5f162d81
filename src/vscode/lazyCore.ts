/**
 * The core's heavy modules (sharp, the PDF engine, the vector index) are loaded on first use,
 * not on activation: this file is the only one imported dynamically, so esbuild keeps
 * everything behind it out of the activation path.
 */
export { EmbeddingClient } from '../core/embed/embeddingClient';
export { EmbeddingError } from '../core/embed/embeddingError';
export { Indexer } from '../core/index/indexer/indexer';
export { findDuplicateImages } from '../core/index/search/duplicateImages';
export { SearchEngine } from '../core/index/search/searchEngine';
export { SearchIndex } from '../core/index/search/searchIndex';
export { CorruptIndexError, IndexMismatchError } from '../core/index/store/indexErrors';
export { IndexStore } from '../core/index/store/indexStore';
export { walkWorkspace } from '../core/sources/walk/walkWorkspace';

export type LazyCore = typeof import('./lazyCore');

let loading: Promise<LazyCore> | undefined;

export function loadCore(): Promise<LazyCore> {
  loading ??= import('./lazyCore');
  return loading;
}
