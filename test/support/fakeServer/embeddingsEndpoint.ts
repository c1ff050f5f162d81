import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from './apiErrors';
import { computeEmbeddings, type ComputedInput, type EmbeddingContext } from './embeddingComputation';
import type { ResolvedFakeServerOptions } from './fakeServerOptions';
import { isEarlyFault, type Fault, type FaultPredicate } from './faults';
import { holdUntil, pause } from './httpIo';
import type { RecordedEmbeddingCall, RecordedRequest } from './requestLog';
import { parseEmbeddingRequest, type ParsedEmbeddingRequest } from './requestParsing';
import type { Responder } from './responder';
import { breakPayload, embeddingResponseBody, truncatedJson } from './responseBodies';
import type { StatsCounter } from './serverStats';

/**
 * POST /v1/embeddings once authentication, rate limiting and body reading are done: faults,
 * validation, embedding, latency, answer. Latency is applied before every answer, errors
 * included; a dropped or hanging request gets none.
 */

export interface EmbeddingsEndpoint {
  readonly options: ResolvedFakeServerOptions;
  readonly context: EmbeddingContext;
  readonly counters: StatsCounter;
  readonly responder: Responder;
  /** Aborts when the server closes, cutting waits short. */
  readonly signal: AbortSignal;
  readonly predicate: () => FaultPredicate | undefined;
}

export interface EmbeddingsCall {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly record: RecordedRequest;
  readonly bodyBytes: Buffer;
  /** The queued fault taken for this request when it arrived. */
  readonly queuedFault: Fault | undefined;
}

export async function serveEmbeddings(endpoint: EmbeddingsEndpoint, call: EmbeddingsCall): Promise<void> {
  const { options, counters, responder, signal } = endpoint;
  const { request, response, record, bodyBytes, queuedFault } = call;
  const latency = latencyFor(options, record);
  try {
    let lateFault: Fault | undefined;
    if (queuedFault) {
      if (await applyFault(endpoint, call, queuedFault, latency)) return;
      lateFault = queuedFault;
    }
    if (record.body === undefined) {
      throw badRequest(`JSON decode error: the request body is not valid JSON (${bodyBytes.length} bytes).`);
    }
    const parsed = parseEmbeddingRequest(record.body, {
      models: options.models,
      nativeDimensions: options.dimensions,
      matryoshka: options.matryoshka,
      base64: options.base64,
    });
    record.embedding = recordedCall(parsed);
    const predicate = endpoint.predicate();
    if (!queuedFault && predicate) {
      const chosen = predicate({ body: record.body, request: parsed, texts: parsed.inputs.map((input) => input.text), headers: request.headers });
      if (chosen) {
        if (await applyFault(endpoint, call, chosen, latency)) return;
        lateFault = chosen;
      }
    }

    const computed = await computeEmbeddings(parsed, endpoint.context);
    completeRecord(record.embedding, computed);
    const promptTokens = computed.reduce((sum, input) => sum + input.tokens, 0);
    let body = embeddingResponseBody(
      parsed.model,
      computed.map((input) => input.vector),
      parsed.encodingFormat,
      promptTokens,
    );

    if (!(await pause(latency, signal))) return;
    counters.inputs += computed.length;
    counters.promptTokens += promptTokens;
    if (lateFault?.kind === 'malformed-json') return responder.text(response, record, 200, truncatedJson(body), 'application/json');
    if (lateFault?.kind === 'bad-payload') body = breakPayload(body, lateFault.variant, parsed.encodingFormat);
    return responder.json(response, record, 200, body);
  } catch (error) {
    if (!(await pause(latency, signal))) return;
    const apiError = error instanceof ApiError ? error : new ApiError(500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
    return responder.error(response, record, apiError);
  }
}

/**
 * Applies a fault that settles the request on its own (status, drop, hang), returning true when
 * it did. A delay waits and returns false; payload faults are left to the caller.
 */
async function applyFault(endpoint: EmbeddingsEndpoint, call: EmbeddingsCall, fault: Fault, latency: number): Promise<boolean> {
  const { counters, responder, signal } = endpoint;
  const { request, response, record } = call;
  if (fault.kind === 'delay') return !(await pause(fault.ms, signal));
  if (fault.kind === 'hold') return !(await holdUntil(fault.until, signal));
  if (!isEarlyFault(fault)) return false;
  if (fault.kind === 'drop-connection') {
    counters.droppedConnections++;
    request.socket.destroy();
  } else if (fault.kind === 'hang') {
    counters.hungRequests++;
  } else if (fault.kind === 'status' && (await pause(latency, signal))) {
    const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
    if (fault.body !== undefined) {
      responder.text(response, record, fault.status, fault.body, looksLikeJson(fault.body) ? 'application/json' : 'text/plain; charset=utf-8', headers);
    } else {
      responder.error(response, record, new ApiError(fault.status, fault.message ?? defaultFaultMessage(fault.status)), headers);
    }
  }
  return true;
}

function latencyFor(options: ResolvedFakeServerOptions, record: RecordedRequest): number {
  const value = typeof options.latencyMs === 'function' ? options.latencyMs(record) : options.latencyMs;
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function recordedCall(parsed: ParsedEmbeddingRequest): RecordedEmbeddingCall {
  return {
    model: parsed.model,
    form: parsed.form,
    encodingFormat: parsed.encodingFormat,
    ...(parsed.dimensions === undefined ? {} : { dimensions: parsed.dimensions }),
    extraFields: parsed.extraFields,
    inputs: parsed.inputs.map((input) => ({
      kind: input.kind,
      text: input.text,
      templated: input.kind === 'text' && input.templated,
      ...(input.instruction === undefined ? {} : { instruction: input.instruction }),
      images: input.kind === 'messages' ? input.images.map((image) => ({ mimeType: image.mimeType, byteLength: image.bytes.length })) : [],
    })),
  };
}

function completeRecord(call: RecordedEmbeddingCall, computed: readonly ComputedInput[]): void {
  computed.forEach((input, index) => {
    const recorded = call.inputs[index];
    if (!recorded) return;
    recorded.tokens = input.tokens;
    input.images.forEach((image, imageIndex) => {
      const recordedImage = recorded.images[imageIndex];
      if (recordedImage) Object.assign(recordedImage, { width: image.width, height: image.height });
    });
  });
}

function defaultFaultMessage(status: number): string {
  switch (status) {
    case 429:
      return 'Too many requests.';
    case 500:
      return 'Internal server error.';
    case 502:
      return 'Bad gateway: the upstream model server did not answer.';
    case 503:
      return 'Service unavailable: the model is overloaded, try again later.';
    default:
      return `Injected error ${status}.`;
  }
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
