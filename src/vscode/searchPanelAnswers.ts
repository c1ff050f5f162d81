import * as path from 'node:path';
import type { SearchQuery, SearchResponse } from '../core/index/search/searchTypes';
import type { HostMessage, ResultKind, ResultsHeading } from '../shared/panelProtocol';
import { toPanelResults, weakFrom } from './panelResults';
import type { IndexService } from './indexService';
import { workspaceRoots } from './workspaceRoots';

export interface PanelSearch {
  readonly requestId: number;
  readonly query: SearchQuery;
  readonly kinds: readonly ResultKind[];
  readonly folder: string;
  readonly label: string;
}

/** Results the panel asks for at most; weaker ones beyond the cut-off stay one click away. */
const PANEL_TOP = 60;

/**
 * Runs one panel search and words the answer: the results in the engine's order, where the
 * weaker ones start, the engine's notice (with Set API Key when the key is what is missing),
 * and for Find Similar the query image. Undefined when the search was cancelled by a newer one.
 */
export async function answerSearch(
  service: Pick<IndexService, 'search' | 'hasKey' | 'imageThumbnail'>,
  search: PanelSearch,
  signal: AbortSignal,
  thumbnailUri: (file: string) => string,
): Promise<HostMessage | undefined> {
  let response: SearchResponse;
  try {
    response = await service.search(search.query, {
      top: PANEL_TOP,
      filters: { kinds: search.kinds.length ? search.kinds : undefined, root: search.folder || undefined },
      signal,
    });
  } catch (error) {
    return signal.aborted ? undefined : { type: 'searchFailed', requestId: search.requestId, message: error instanceof Error ? error.message : String(error) };
  }
  if (signal.aborted) return undefined;
  const similar = search.query.similarTo;
  const similarThumbnail = similar && (await service.imageThumbnail(similar.root, similar.path));
  const heading: ResultsHeading = {
    label: search.label,
    ...(similar
      ? {
          similarTo: {
            name: path.posix.basename(similar.path),
            path: similar.path,
            ...(similarThumbnail ? { thumbnail: thumbnailUri(similarThumbnail) } : {}),
          },
        }
      : {}),
  };
  const noticeAction = response.notice && !(await service.hasKey()) ? ('setApiKey' as const) : undefined;
  return {
    type: 'results',
    requestId: search.requestId,
    results: toPanelResults(response.results, { showRoot: workspaceRoots().length > 1, thumbnailUri }),
    weakFrom: weakFrom(response.results),
    heading,
    ...(response.notice ? { notice: response.notice } : {}),
    ...(noticeAction ? { noticeAction } : {}),
  };
}
