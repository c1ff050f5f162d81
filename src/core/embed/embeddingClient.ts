import { setMaxListeners } from 'node:events';
import type { Clock } from './adaptivePacer';
import { type EmbeddingClientOptions, type PartialClientOptions, withDefaults } from './clientOptions';
import { EmbeddingError } from './embeddingError';
import { type EndpointCapabilities, processCapabilities } from './endpointCapabilities';
import { RequestRunner } from './requestRunner';
import { planTextBatches } from './textBatches';
import { DEFAULT_QUERY_INSTRUCTION, type EmbeddingInput } from '../common/embeddingInput';
import { emptyUsage, type EmbeddingUsage } from './usage';
import { conversationBody, textBatchBody } from './wireFormat';

/** A vector, or why this one input could not be embedded (the others are unaffected). */
export type EmbeddingOutcome = Float32Array | EmbeddingError;

export interface EmbedCallOptions {
  readonly signal?: AbortSignal;
  /** Called as each input's outcome arrives, so callers can commit progressively. */
  readonly onOutcome?: (index: number, outcome: EmbeddingOutcome) => void;
}

export interface ClientDependencies {
  readonly capabilities?: EndpointCapabilities;
  readonly clock?: Clock;
}

/**
 * The one way the core talks to an embeddings endpoint. Text-only documents are batched
 * through `input: string[]`; anything with images, and every query, is one `messages`
 * request (the API cannot batch conversations), and those requests run concurrently.
 */
export class EmbeddingClient {
  readonly options: EmbeddingClientOptions;
  readonly usage: EmbeddingUsage = emptyUsage();
  private readonly runner: RequestRunner;

  constructor(options: PartialClientOptions, dependencies: ClientDependencies = {}) {
    this.options = withDefaults(options);
    this.runner = new RequestRunner(
      this.options,
      dependencies.capabilities ?? processCapabilities,
      this.usage,
      dependencies.clock,
    );
  }

  /** The pacer's current requests/s (drops after 429s, recovers after calm). */
  get currentRate(): number {
    return this.runner.currentRate;
  }

  /**
   * Embeds documents. Inputs the server rejects come back as 'bad-input' errors in their slot;
   * anything that stops the whole run (bad key, unknown model, endpoint down, cancelled) throws.
   */
  async embedDocuments(inputs: readonly EmbeddingInput[], call: EmbedCallOptions = {}): Promise<EmbeddingOutcome[]> {
    const outcomes = new Array<EmbeddingOutcome>(inputs.length);
    const settle = (index: number, outcome: EmbeddingOutcome) => {
      outcomes[index] = outcome;
      call.onOutcome?.(index, outcome);
    };
    const textOnly: Array<{ index: number; chars: number }> = [];
    const conversations: number[] = [];
    inputs.forEach((input, index) => {
      if (input.images?.length) conversations.push(index);
      else textOnly.push({ index, chars: (input.text ?? '').length });
    });

    const work = [
      ...planTextBatches(textOnly, this.options.batch).map((batch) => (signal: AbortSignal) => this.embedTextBatch(inputs, batch, settle, signal)),
      ...conversations.map((index) => (signal: AbortSignal) => this.embedConversation(inputs[index]!, index, settle, signal)),
    ];
    await runAllFailFast(work, call.signal);
    return outcomes;
  }

  /** Embeds one query (text, image or both) with the retrieval instruction. */
  async embedQuery(query: EmbeddingInput, signal?: AbortSignal): Promise<Float32Array> {
    const input = { ...query, instruction: query.instruction ?? DEFAULT_QUERY_INSTRUCTION };
    const [vector] = await this.runner.embed((encoding) => conversationBody(this.options.model, input, this.options.shape, encoding), 1, signal);
    return vector!;
  }

  /** `GET /models`: the ids the endpoint serves. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const response = await this.runner.get('/models', signal);
    if (response.status === 401 || response.status === 403) throw this.runner.httpError('auth', response);
    if (response.status !== 200) throw this.runner.httpError('endpoint-down', response);
    try {
      const data = (JSON.parse(response.body) as { data?: Array<{ id?: unknown }> }).data ?? [];
      return data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
    } catch {
      throw this.runner.httpError('bad-response', response);
    }
  }

  close(): Promise<void> {
    return this.runner.close();
  }

  private async embedConversation(input: EmbeddingInput, index: number, settle: Settle, signal?: AbortSignal) {
    try {
      const [vector] = await this.runner.embed((encoding) => conversationBody(this.options.model, input, this.options.shape, encoding), 1, signal);
      settle(index, vector!);
    } catch (error) {
      if (!isBadInput(error)) throw error;
      settle(index, error);
    }
  }

  /** A rejected batch is halved until the bad inputs are isolated, so good ones still land. */
  private async embedTextBatch(inputs: readonly EmbeddingInput[], batch: number[], settle: Settle, signal?: AbortSignal): Promise<void> {
    const members = batch.map((i) => inputs[i]!);
    try {
      const vectors = await this.runner.embed((encoding) => textBatchBody(this.options.model, members, this.options.shape, encoding), batch.length, signal);
      batch.forEach((index, at) => settle(index, vectors[at]!));
    } catch (error) {
      if (!isBadInput(error)) throw error;
      if (batch.length === 1) return settle(batch[0]!, error);
      const half = Math.ceil(batch.length / 2);
      await this.embedTextBatch(inputs, batch.slice(0, half), settle, signal);
      await this.embedTextBatch(inputs, batch.slice(half), settle, signal);
    }
  }
}

type Settle = (index: number, outcome: EmbeddingOutcome) => void;

function isBadInput(error: unknown): error is EmbeddingError {
  return error instanceof EmbeddingError && error.kind === 'bad-input';
}

/**
 * Starts every task (the runner bounds concurrency and pace) and rejects on the first fatal
 * error, aborting the rest so nothing keeps uploading after the run has failed.
 */
async function runAllFailFast(tasks: Array<(signal: AbortSignal) => Promise<void>>, outer?: AbortSignal): Promise<void> {
  if (tasks.length === 0) return;
  const stop = new AbortController();
  const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
  // Each queued request listens for the abort until it starts: a long call queues many.
  setMaxListeners(0, signal);
  let firstError: unknown;
  await Promise.all(
    tasks.map((task) =>
      task(signal).catch((error) => {
        if (firstError === undefined) {
          firstError = error;
          stop.abort(error);
        }
      }),
    ),
  );
  if (firstError !== undefined) throw firstError;
}
