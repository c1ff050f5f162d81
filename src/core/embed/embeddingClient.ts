import { type Clock, systemClock } from './adaptivePacer';
import { type EmbeddingClientOptions, type PartialClientOptions, withDefaults } from './clientOptions';
import { DocumentScheduler, type EmbeddingOutcome } from './documentScheduler';
import { type EndpointCapabilities, processCapabilities } from './endpointCapabilities';
import { RequestRunner } from './requestRunner';
import { DEFAULT_QUERY_INSTRUCTION, type EmbeddingInput } from '../common/embeddingInput';
import { emptyUsage, type EmbeddingUsage } from './usage';
import { conversationBody } from './wireFormat';

export type { EmbeddingOutcome };

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
 * through `input: string[]`, formed when a request may leave (see DocumentScheduler);
 * anything with images, and every query, is one `messages` request (the API cannot batch
 * conversations), and those requests run concurrently.
 */
export class EmbeddingClient {
  readonly options: EmbeddingClientOptions;
  readonly usage: EmbeddingUsage = emptyUsage();
  private readonly runner: RequestRunner;
  private readonly scheduler: DocumentScheduler;

  constructor(options: PartialClientOptions, dependencies: ClientDependencies = {}) {
    this.options = withDefaults(options);
    const clock = dependencies.clock ?? systemClock;
    this.runner = new RequestRunner(this.options, dependencies.capabilities ?? processCapabilities, this.usage, clock);
    this.scheduler = new DocumentScheduler(this.runner, this.options, clock);
  }

  /** The pacer's current requests/s (drops after 429s, recovers after calm). */
  get currentRate(): number {
    return this.runner.currentRate;
  }

  /**
   * Embeds documents. Inputs the server rejects come back as 'bad-input' errors in their slot;
   * anything that stops the whole run (bad key, unknown model, endpoint down, cancelled) throws,
   * and the inputs of this call not yet sent are dropped.
   */
  async embedDocuments(inputs: readonly EmbeddingInput[], call: EmbedCallOptions = {}): Promise<EmbeddingOutcome[]> {
    const outcomes = new Array<EmbeddingOutcome>(inputs.length);
    const stop = new AbortController();
    const signal = call.signal ? AbortSignal.any([call.signal, stop.signal]) : stop.signal;
    let first: { error: unknown } | undefined;
    await Promise.all(
      inputs.map((input, index) =>
        this.scheduler.submit(input, signal).then(
          (outcome) => {
            outcomes[index] = outcome;
            call.onOutcome?.(index, outcome);
          },
          (error: unknown) => {
            if (first) return;
            first = { error };
            stop.abort(error);
          },
        ),
      ),
    );
    if (first) throw first.error;
    return outcomes;
  }

  /**
   * Embeds one document as part of whatever request can take it when a request may leave:
   * texts submitted one by one still travel in full batches. Among images waiting, a higher
   * `priority` goes first. A rejected input resolves to its 'bad-input' error; a fatal error
   * or cancellation rejects.
   */
  submitDocument(input: EmbeddingInput, signal?: AbortSignal, priority?: number): Promise<EmbeddingOutcome> {
    return this.scheduler.submit(input, signal, priority);
  }

  /**
   * Tells the client more texts are about to be submitted, so a partial batch waits for them
   * (bounded by `batch.maxWaitMs`); call the returned function once that producer is done.
   */
  expectTexts(): () => void {
    return this.scheduler.expectTexts();
  }

  /** Inputs submitted and not yet in a request, by kind. */
  get waiting(): { readonly texts: number; readonly conversations: number } {
    return this.scheduler.waiting;
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
    this.scheduler.close();
    return this.runner.close();
  }
}
