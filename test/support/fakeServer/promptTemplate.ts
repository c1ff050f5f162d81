/**
 * The official Qwen3-VL-Embedding prompt, as clients render it into `input` strings (vLLM applies
 * no chat template to `input`). The instruction does not change a vector here, so stripping the
 * template makes templated and plain forms of the same text embed identically.
 */

const TEMPLATED = /^<\|im_start\|>system\n([\s\S]*?)<\|im_end\|>\n<\|im_start\|>user\n([\s\S]*?)<\|im_end\|>\n<\|im_start\|>assistant\n?$/;

export interface StrippedPrompt {
  readonly text: string;
  readonly templated: boolean;
  readonly instruction?: string;
}

export function renderPromptTemplate(instruction: string, text: string): string {
  return `<|im_start|>system\n${instruction}<|im_end|>\n<|im_start|>user\n${text}<|im_end|>\n<|im_start|>assistant\n`;
}

export function stripPromptTemplate(input: string): StrippedPrompt {
  const match = TEMPLATED.exec(input);
  if (!match) return { text: input, templated: false };
  return { text: match[2] ?? '', templated: true, instruction: match[1] ?? '' };
}
