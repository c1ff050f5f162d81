import type { RequestShapeOptions } from './clientOptions';
import type { EmbeddingImage, EmbeddingInput } from '../common/embeddingInput';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../common/embeddingInput';

/** The JSON bodies of `POST /v1/embeddings`, as vLLM and the IONOS hub accept them. */
export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: ContentPart[];
}

export interface EncodingFields {
  encoding_format: 'base64' | 'float';
  dimensions?: number;
}

export type EmbeddingRequestBody = EncodingFields & { model: string } & (
    | { input: string[] }
    | {
        messages: ChatMessage[];
        continue_final_message?: boolean;
        add_special_tokens?: boolean;
      }
  );

/**
 * The official Qwen3-VL-Embedding prompt, rendered by hand because vLLM applies no chat
 * template to `input` strings; this keeps batched texts in the same format as images and queries.
 */
export function renderTemplatedText(instruction: string, text: string): string {
  return `<|im_start|>system\n${instruction}<|im_end|>\n` + `<|im_start|>user\n${text}<|im_end|>\n<|im_start|>assistant\n`;
}

export function textBatchBody(model: string, inputs: readonly EmbeddingInput[], shape: RequestShapeOptions, encoding: EncodingFields): EmbeddingRequestBody {
  const input = inputs.map((item) =>
    shape.textFormat === 'templated' ? renderTemplatedText(item.instruction ?? DEFAULT_DOCUMENT_INSTRUCTION, item.text ?? '') : (item.text ?? ''),
  );
  return { model, input, ...encodingFields(encoding) };
}

export function conversationBody(model: string, item: EmbeddingInput, shape: RequestShapeOptions, encoding: EncodingFields): EmbeddingRequestBody {
  const messages: ChatMessage[] = [];
  if (shape.systemMessage) {
    const instruction = item.instruction ?? DEFAULT_DOCUMENT_INSTRUCTION;
    messages.push({ role: 'system', content: [{ type: 'text', text: instruction }] });
  }
  const user: ContentPart[] = (item.images ?? []).map((image) => ({
    type: 'image_url',
    image_url: { url: dataUrl(image) },
  }));
  // The reference embedder always ends the user turn with a text part, empty for pure images.
  user.push({ type: 'text', text: item.text ?? '' });
  messages.push({ role: 'user', content: user });
  if (shape.assistantTurn) messages.push({ role: 'assistant', content: [{ type: 'text', text: '' }] });

  return {
    model,
    messages,
    ...(shape.continueFinalMessage && shape.assistantTurn ? { continue_final_message: true } : {}),
    ...(shape.addSpecialTokens ? { add_special_tokens: true } : {}),
    ...encodingFields(encoding),
  };
}

export function dataUrl(image: EmbeddingImage): string {
  return `data:${image.mimeType};base64,${Buffer.from(image.bytes).toString('base64')}`;
}

function encodingFields(encoding: EncodingFields): EncodingFields {
  return encoding.dimensions === undefined
    ? { encoding_format: encoding.encoding_format }
    : { encoding_format: encoding.encoding_format, dimensions: encoding.dimensions };
}
