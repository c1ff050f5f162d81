import { badRequest } from './apiErrors';
import type { CaptionRegistry } from './captionRegistry';
import { SHARP_FORMAT_FOR_TYPE } from './dataUrl';
import { decodeImage, ImageDecodeError, type DecodedImage } from './imageFeatures';
import type { MessagesInput, ParsedEmbeddingRequest, ParsedImage, ParsedInput } from './requestParsing';
import { countImageTokens, countTextTokens, END_OF_TEXT_TOKENS, MESSAGE_OVERHEAD_TOKENS, TEMPLATE_OVERHEAD_TOKENS } from './tokenCount';
import { combineVectors, truncateVector } from './vectorMath';
import type { VectorModel } from './vectorModel';

/**
 * From validated inputs to vectors: decodes and checks images, counts tokens, enforces the
 * context limit, and combines parts. A messages input (any mix of images and text) yields one
 * vector, the normalised sum of its parts; the system instruction never changes it.
 */

export interface EmbeddingContext {
  readonly nativeDimensions: number;
  readonly maxContextTokens: number;
  readonly captions: CaptionRegistry;
  readonly model: VectorModel;
}

export interface ComputedInput {
  readonly vector: Float32Array;
  readonly tokens: number;
  readonly images: readonly DecodedImage[];
}

export async function computeEmbeddings(request: ParsedEmbeddingRequest, context: EmbeddingContext): Promise<ComputedInput[]> {
  const decoded = await Promise.all(request.inputs.map((input) => (input.kind === 'messages' ? decodeImages(input.images) : Promise.resolve([]))));
  return request.inputs.map((input, index) => {
    const images = decoded[index] ?? [];
    const tokens = countInputTokens(input, images);
    if (tokens > context.maxContextTokens) {
      throw badRequest(
        `This model's maximum context length is ${context.maxContextTokens} tokens. However, you requested ${tokens} tokens in the input for embedding generation. Please reduce the length of the input.`,
      );
    }
    const native = input.kind === 'text' ? context.model.text(input.text) : messagesVector(input, images, context);
    const vector = request.dimensions !== undefined && request.dimensions < native.length ? truncateVector(native, request.dimensions) : native;
    return { vector, tokens, images };
  });
}

export function imageVectorWithCaption(image: DecodedImage, context: EmbeddingContext): Float32Array {
  return context.model.image(image, context.captions.captionFor(image.features));
}

function messagesVector(input: MessagesInput, images: readonly DecodedImage[], context: EmbeddingContext): Float32Array {
  const parts = images.map((image) => imageVectorWithCaption(image, context));
  if (input.text.trim().length > 0 || parts.length === 0) parts.push(context.model.text(input.text));
  return parts.length === 1 ? (parts[0] as Float32Array) : combineVectors(parts);
}

async function decodeImages(images: readonly ParsedImage[]): Promise<DecodedImage[]> {
  return Promise.all(
    images.map(async (image) => {
      let decoded: DecodedImage;
      try {
        decoded = await decodeImage(image.bytes);
      } catch (error) {
        const reason = error instanceof ImageDecodeError ? error.message.split('\n')[0] : String(error);
        throw badRequest(`The image at ${image.param} could not be decoded as ${image.mimeType}: ${reason}`, image.param);
      }
      const expected = SHARP_FORMAT_FOR_TYPE[image.mimeType];
      if (decoded.format !== expected) {
        throw badRequest(`The image at ${image.param} is declared as ${image.mimeType} but its bytes are ${decoded.format}.`, image.param);
      }
      return decoded;
    }),
  );
}

function countInputTokens(input: ParsedInput, images: readonly DecodedImage[]): number {
  if (input.kind === 'text') {
    const body = input.templated
      ? countTextTokens(input.instruction ?? '') + countTextTokens(input.text) + TEMPLATE_OVERHEAD_TOKENS
      : countTextTokens(input.raw);
    return body + END_OF_TEXT_TOKENS;
  }
  let tokens = END_OF_TEXT_TOKENS;
  for (const message of input.messages) {
    tokens += MESSAGE_OVERHEAD_TOKENS;
    for (const text of message.texts) tokens += countTextTokens(text);
  }
  for (const image of images) tokens += countImageTokens(image.width, image.height);
  return tokens;
}
