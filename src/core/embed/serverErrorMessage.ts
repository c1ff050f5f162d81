/**
 * Pulls the human message out of the error bodies providers send: vLLM's newer
 * `{error: {message, code}}`, its older `{object: "error", message}`, the IONOS gateway's
 * `{httpStatus, messages: [{errorCode, message}]}`, or plain text.
 */
export function serverErrorMessage(body: string): string | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return truncate(trimmed);
  }
  return fromJson(parsed) ?? truncate(trimmed);
}

function fromJson(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (isRecord(value.error) && typeof value.error.message === 'string') {
    return value.error.message;
  }
  if (typeof value.error === 'string') return value.error;
  if (typeof value.message === 'string') return value.message;
  if (Array.isArray(value.messages)) {
    const texts = value.messages
      .filter(isRecord)
      .map((m) => [m.errorCode, m.message].filter((s) => typeof s === 'string').join(': '))
      .filter(Boolean);
    if (texts.length) return texts.join('; ');
  }
  if (typeof value.detail === 'string') return value.detail;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
