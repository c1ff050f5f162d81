import { describe, expect, it } from 'vitest';
import { DEFAULT_SHAPE } from '../../src/core/embed/clientOptions';
import { conversationBody, renderTemplatedText, textBatchBody } from '../../src/core/embed/wireFormat';
import { DEFAULT_DOCUMENT_INSTRUCTION } from '../../src/core/common/embeddingInput';

const png = { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), mimeType: 'image/png' as const };

describe('request bodies', () => {
  it('shapes an image+text input like vLLM’s Qwen3-VL example', () => {
    const body = conversationBody('m', { instruction: 'Find it.', text: 'dark mode', images: [png] }, DEFAULT_SHAPE, {
      encoding_format: 'base64',
    });
    expect(body).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Find it.' }] },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } },
            { type: 'text', text: 'dark mode' },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: '' }] },
      ],
      continue_final_message: true,
      add_special_tokens: true,
      encoding_format: 'base64',
    });
  });

  it('drops the switchable extras when told to', () => {
    const body = conversationBody(
      'm',
      { text: 'x' },
      { ...DEFAULT_SHAPE, systemMessage: false, assistantTurn: false, addSpecialTokens: false },
      { encoding_format: 'float', dimensions: 1024 },
    ) as unknown as Record<string, unknown>;
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'x' }] }]);
    expect(body).not.toHaveProperty('continue_final_message');
    expect(body).not.toHaveProperty('add_special_tokens');
    expect(body.dimensions).toBe(1024);
  });

  it('renders the official prompt into each batched text by default', () => {
    const body = textBatchBody('m', [{ text: 'a' }, { text: 'b', instruction: 'I' }], DEFAULT_SHAPE, { encoding_format: 'base64' });
    expect(body).toEqual({
      model: 'm',
      input: [renderTemplatedText(DEFAULT_DOCUMENT_INSTRUCTION, 'a'), renderTemplatedText('I', 'b')],
      encoding_format: 'base64',
    });
    expect(renderTemplatedText('I', 'b')).toBe('<|im_start|>system\nI<|im_end|>\n<|im_start|>user\nb<|im_end|>\n<|im_start|>assistant\n');
  });

  it('sends plain texts when the provider templates on its side', () => {
    const body = textBatchBody('m', [{ text: 'a' }], { ...DEFAULT_SHAPE, textFormat: 'plain' }, { encoding_format: 'float' });
    expect(body).toMatchObject({ input: ['a'], encoding_format: 'float' });
  });
});
