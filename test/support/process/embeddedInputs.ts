import { CaptionRegistry } from '../fakeServer/captionRegistry';
import { computeEmbeddings } from '../fakeServer/embeddingComputation';
import type { FakeEmbeddingServer } from '../fakeServer/fakeEmbeddingServer';
import type { RecordedRequest } from '../fakeServer/requestLog';
import { parseEmbeddingRequest } from '../fakeServer/requestParsing';
import { vectorModelFor } from '../fakeServer/vectorModel';

/**
 * The vectors the fake server computes for every input of the recorded embeddings requests,
 * whether or not it got to answer them (a client killed mid-request still asked). The server is
 * deterministic, so a vector names the content that was sent: tests match these against the
 * vectors an index stores to tell which items a process asked to embed.
 */
export async function vectorsOfRecordedInputs(server: FakeEmbeddingServer, requests: readonly RecordedRequest[]): Promise<Float32Array[]> {
  const { options } = server;
  const context = {
    nativeDimensions: options.dimensions,
    maxContextTokens: options.maxContextTokens,
    captions: new CaptionRegistry(),
    model: vectorModelFor(options.semantic, options.dimensions),
  };
  const policy = { models: options.models, nativeDimensions: options.dimensions, matryoshka: options.matryoshka, base64: options.base64 };
  const vectors: Float32Array[] = [];
  for (const request of requests) {
    // A body cut off mid-upload was never parsed, so nothing of it was embedded.
    if (request.path !== '/v1/embeddings' || request.method !== 'POST' || request.body === undefined) continue;
    const computed = await computeEmbeddings(parseEmbeddingRequest(request.body, policy), context);
    for (const input of computed) vectors.push(input.vector);
  }
  return vectors;
}
