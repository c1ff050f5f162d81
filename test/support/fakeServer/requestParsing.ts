import { ApiError, badRequest } from './apiErrors';
import { parseImageDataUrl, type SupportedImageType } from './dataUrl';
import { stripPromptTemplate } from './promptTemplate';

/**
 * Validates an embeddings request body as strictly as vLLM does, and turns it into inputs the
 * server can embed. Structural problems come first (400), then the model (404), then what the
 * server's configuration refuses (400), the order in which vLLM reports them. Image bytes are
 * only extracted here; decoding them is the embedding step's job.
 */

export type EncodingFormat = 'float' | 'base64';
export type MessageRole = 'system' | 'user' | 'assistant';

export interface ParsedImage {
  readonly mimeType: SupportedImageType;
  readonly bytes: Buffer;
  /** Where the image sits in the body, for error messages: messages[1].content[0].image_url.url */
  readonly param: string;
}

export interface ParsedMessage {
  readonly role: MessageRole;
  readonly texts: readonly string[];
  readonly images: readonly ParsedImage[];
}

export interface TextInput {
  readonly kind: 'text';
  /** The string as sent. */
  readonly raw: string;
  /** What gets embedded: the user text, with any official prompt template removed. */
  readonly text: string;
  readonly templated: boolean;
  readonly instruction?: string;
}

export interface MessagesInput {
  readonly kind: 'messages';
  readonly messages: readonly ParsedMessage[];
  /** Text of the non-system turns, which is what gets embedded. */
  readonly text: string;
  readonly images: readonly ParsedImage[];
  readonly instruction?: string;
}

export type ParsedInput = TextInput | MessagesInput;

export interface ParsedEmbeddingRequest {
  readonly model: string;
  readonly form: 'input' | 'messages';
  readonly inputs: readonly ParsedInput[];
  readonly encodingFormat: EncodingFormat;
  readonly dimensions?: number;
  /** Fields beyond the OpenAI ones, e.g. continue_final_message, add_special_tokens. */
  readonly extraFields: readonly string[];
}

export interface RequestPolicy {
  readonly models: readonly string[];
  readonly nativeDimensions: number;
  readonly matryoshka: boolean;
  readonly base64: boolean;
}

const OPENAI_FIELDS = new Set(['model', 'input', 'messages', 'encoding_format', 'dimensions', 'user']);
const ROLES: readonly string[] = ['system', 'user', 'assistant'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseEmbeddingRequest(body: unknown, policy: RequestPolicy): ParsedEmbeddingRequest {
  if (!isRecord(body)) throw badRequest('The request body must be a JSON object.');
  const { model } = body;
  if (typeof model !== 'string' || model.length === 0) throw badRequest('Field required: "model" must be a non-empty string.', 'model');

  const hasInput = body.input !== undefined && body.input !== null;
  const hasMessages = body.messages !== undefined && body.messages !== null;
  if (hasInput === hasMessages) {
    throw badRequest(
      hasInput
        ? 'Exactly one of "input" or "messages" must be given, not both.'
        : 'Exactly one of "input" or "messages" must be given; the request has neither.',
    );
  }
  const inputs = hasInput ? parseInputField(body.input) : [parseMessages(body.messages, body)];
  const encodingFormat = parseEncodingFormat(body.encoding_format);
  const dimensions = parseDimensions(body.dimensions);

  if (!policy.models.includes(model)) throw new ApiError(404, `The model \`${model}\` does not exist.`, 'model');
  if (encodingFormat === 'base64' && !policy.base64) {
    throw badRequest('encoding_format "base64" is not supported by this server; use "float".', 'encoding_format');
  }
  if (dimensions !== undefined) {
    if (!policy.matryoshka) {
      throw badRequest(`Model "${model}" does not support matryoshka representation, changing output dimensions will lead to poor results.`, 'dimensions');
    }
    if (dimensions > policy.nativeDimensions) {
      throw badRequest(`dimensions (${dimensions}) exceeds the model's output size (${policy.nativeDimensions}).`, 'dimensions');
    }
  }

  return {
    model,
    form: hasInput ? 'input' : 'messages',
    inputs,
    encodingFormat,
    ...(dimensions === undefined ? {} : { dimensions }),
    extraFields: Object.keys(body).filter((key) => !OPENAI_FIELDS.has(key)),
  };
}

function parseEncodingFormat(value: unknown): EncodingFormat {
  if (value === undefined || value === null) return 'float';
  if (value === 'float' || value === 'base64') return value;
  throw badRequest(`Invalid encoding_format ${JSON.stringify(value)}: expected "float" or "base64".`, 'encoding_format');
}

function parseDimensions(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw badRequest('dimensions must be an integer.', 'dimensions');
  if (value < 1) throw badRequest('Dimensions must be greater than 0', 'dimensions');
  return value;
}

function parseInputField(input: unknown): TextInput[] {
  if (typeof input === 'string') return [textInput(input)];
  if (!Array.isArray(input)) throw badRequest('"input" must be a string or an array of strings.', 'input');
  if (input.length === 0) throw badRequest('"input" must not be an empty array.', 'input');
  return input.map((item, index) => {
    if (typeof item === 'string') return textInput(item);
    if (typeof item === 'number' || Array.isArray(item)) {
      throw badRequest(`input[${index}]: token-id inputs are not supported by this server; send text.`, `input[${index}]`);
    }
    throw badRequest(`input[${index}] must be a string.`, `input[${index}]`);
  });
}

function textInput(raw: string): TextInput {
  const stripped = stripPromptTemplate(raw);
  return {
    kind: 'text',
    raw,
    text: stripped.text,
    templated: stripped.templated,
    ...(stripped.instruction === undefined ? {} : { instruction: stripped.instruction }),
  };
}

function parseMessages(value: unknown, body: Record<string, unknown>): MessagesInput {
  if (!Array.isArray(value) || value.length === 0) throw badRequest('"messages" must be a non-empty array.', 'messages');
  if (body.continue_final_message === true && body.add_generation_prompt === true) {
    throw badRequest('Cannot set both `continue_final_message` and `add_generation_prompt` to True.');
  }
  const messages = value.map((message, index) => parseMessage(message, `messages[${index}]`));
  const instructions = messages.filter((m) => m.role === 'system').flatMap((m) => m.texts);
  const embedded = messages.filter((m) => m.role !== 'system');
  return {
    kind: 'messages',
    messages,
    text: embedded
      .flatMap((m) => m.texts)
      .filter((text) => text.length > 0)
      .join('\n'),
    images: messages.flatMap((m) => m.images),
    ...(instructions.length > 0 ? { instruction: instructions.join('\n') } : {}),
  };
}

function parseMessage(message: unknown, param: string): ParsedMessage {
  if (!isRecord(message)) throw badRequest(`${param} must be an object.`, param);
  const { role, content } = message;
  if (typeof role !== 'string' || !ROLES.includes(role)) {
    throw badRequest(`${param}.role must be one of ${ROLES.join(', ')}; got ${JSON.stringify(role)}.`, `${param}.role`);
  }
  if (typeof content === 'string') return { role: role as MessageRole, texts: [content], images: [] };
  if (!Array.isArray(content)) throw badRequest(`${param}.content must be a string or an array of content parts.`, `${param}.content`);
  const texts: string[] = [];
  const images: ParsedImage[] = [];
  content.forEach((part: unknown, index) => {
    const partParam = `${param}.content[${index}]`;
    if (!isRecord(part)) throw badRequest(`${partParam} must be an object.`, partParam);
    if (part.type === 'text') {
      if (typeof part.text !== 'string') throw badRequest(`${partParam}.text must be a string.`, `${partParam}.text`);
      texts.push(part.text);
    } else if (part.type === 'image_url') {
      const imageUrl = part.image_url;
      if (!isRecord(imageUrl) || typeof imageUrl.url !== 'string') {
        throw badRequest(`${partParam}.image_url must be an object with a string "url".`, `${partParam}.image_url`);
      }
      const urlParam = `${partParam}.image_url.url`;
      images.push({ ...parseImageDataUrl(imageUrl.url, urlParam), param: urlParam });
    } else {
      throw badRequest(`${partParam}: unsupported content part type ${JSON.stringify(part.type)}; expected "text" or "image_url".`, `${partParam}.type`);
    }
  });
  return { role: role as MessageRole, texts, images };
}
