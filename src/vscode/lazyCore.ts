/**
 * The core's heavy modules (sharp, the PDF engine, the vector index), loaded on first use
 * through loadCore(): never import this file statically, or it joins the activation path.
 */
export { EmbeddingClient } from '../core/embed/embeddingClient';
export { EmbeddingError } from '../core/embed/embeddingError';
export { Indexer } from '../core/index/indexer/indexer';
export { findDuplicateImages } from '../core/index/search/duplicateImages';
export { SearchEngine } from '../core/index/search/searchEngine';
export { SearchIndex } from '../core/index/search/searchIndex';
export { SharedCache } from '../core/index/sharedCache/openSharedCache';
export { SharedCacheError } from '../core/index/sharedCache/sharedCacheError';
export { CorruptIndexError, IndexMismatchError } from '../core/index/store/indexErrors';
export { IndexStore } from '../core/index/store/indexStore';
export { IndexBusyError } from '../core/index/store/writerLock';
export { PdfViewerDocument } from '../core/sources/pdf/pdfViewerDocument';
export { walkWorkspace } from '../core/sources/walk/walkWorkspace';

export type LazyCore = typeof import('./lazyCore');
