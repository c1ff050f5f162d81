import type { ServerResponse } from 'node:http';
import { vllmErrorBody, type ApiError, type VllmErrorShape } from './apiErrors';
import type { RecordedRequest } from './requestLog';
import type { StatsCounter } from './serverStats';

/** Writes responses, and is the one place that counts them and notes their status on the record. */
export class Responder {
  constructor(
    private readonly counters: StatsCounter,
    private readonly errorShape: VllmErrorShape,
  ) {}

  json(response: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.text(response, record, status, JSON.stringify(body), 'application/json', headers);
  }

  error(response: ServerResponse, record: RecordedRequest, error: ApiError, headers: Record<string, string> = {}): void {
    this.json(response, record, error.status, vllmErrorBody(error, this.errorShape), headers);
  }

  text(response: ServerResponse, record: RecordedRequest, status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
    // The client may have given up (or the server closed) while the answer was being prepared.
    if (response.destroyed || response.writableEnded) return;
    record.status = status;
    this.counters.countStatus(status);
    response.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }
}
