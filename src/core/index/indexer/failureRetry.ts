import { urlWithoutCredentials } from '../../common/redaction';
import type { FailedWith, FileRecord } from '../catalog/catalogTypes';

/**
 * Files that failed are tried again on the next run, since a server's refusal may have been
 * passing; after that they wait until the file, the model or the endpoint changes, or a retry
 * is asked for, so an unchanged broken file does not cost requests on every run.
 */
export const ATTEMPTS_BEFORE_WAITING = 2;

export interface RetryContext {
  readonly model: string;
  readonly endpoint: string;
  /** Retry every failed file now (sightline index --retry-failed, Retry Failed Files). */
  readonly retryFailed: boolean;
}

export function retryContext(model: string, endpoint: string, retryFailed = false): RetryContext {
  return { model, endpoint: urlWithoutCredentials(endpoint), retryFailed };
}

/** True when an unchanged file's failures should be tried again in this run. */
export function retryDue(record: FileRecord, context: RetryContext): boolean {
  if (!record.failures?.length) return false;
  const last = record.failedWith;
  if (context.retryFailed || !last) return true;
  return last.model !== context.model || last.endpoint !== context.endpoint || last.attempts < ATTEMPTS_BEFORE_WAITING;
}

/** The record with its failure count brought up to date after an attempt. */
export function withFailureCount(record: FileRecord, before: FailedWith | undefined, context: RetryContext): FileRecord {
  if (!record.failures?.length) {
    if (!record.failedWith) return record;
    const { failedWith: _gone, ...rest } = record;
    return rest;
  }
  const same = before && before.model === context.model && before.endpoint === context.endpoint;
  const attempts = same && !context.retryFailed ? before.attempts + 1 : 1;
  return { ...record, failedWith: { model: context.model, endpoint: context.endpoint, attempts } };
}
