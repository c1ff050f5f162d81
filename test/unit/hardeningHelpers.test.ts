import { describe, expect, it } from 'vitest';
import { redactSecrets, urlWithoutCredentials } from '../../src/core/common/redaction';
import type { FileRecord } from '../../src/core/index/catalog/catalogTypes';
import { retryContext, retryDue, withFailureCount } from '../../src/core/index/indexer/failureRetry';
import { printable } from '../../src/cli/terminalText';

/** The small rules behind the hardening: when a failed file is tried again, what is cut from a message, how a name is printed. */

const failed: FileRecord = {
  root: '',
  path: 'docs/guide.md',
  kind: 'markdown',
  size: 10,
  mtimeMs: 1,
  hash: 'h',
  items: [],
  failures: [{ code: 'bad-input', message: 'rejected' }],
};

describe('retries of failed files', () => {
  const context = retryContext('model-a', 'https://embed.example.com/v1');

  it('tries a failure once more, then waits', () => {
    const first = withFailureCount(failed, undefined, context);
    expect(first.failedWith).toEqual({ model: 'model-a', endpoint: 'https://embed.example.com/v1', attempts: 1 });
    expect(retryDue(first, context)).toBe(true);
    const second = withFailureCount(first, first.failedWith, context);
    expect(second.failedWith!.attempts).toBe(2);
    expect(retryDue(second, context)).toBe(false);
  });

  it('tries again when the model or the endpoint changes, or when asked', () => {
    const waiting = { ...failed, failedWith: { model: 'model-a', endpoint: 'https://embed.example.com/v1', attempts: 2 } };
    expect(retryDue(waiting, retryContext('model-b', 'https://embed.example.com/v1'))).toBe(true);
    expect(retryDue(waiting, retryContext('model-a', 'https://other.example.com/v1'))).toBe(true);
    expect(retryDue(waiting, retryContext('model-a', 'https://embed.example.com/v1', true))).toBe(true);
    // Credentials in the URL are not part of its identity (and never stored).
    expect(retryContext('m', 'https://user:pw@embed.example.com/v1').endpoint).toBe('https://embed.example.com/v1');
  });

  it('drops the count once the file indexes cleanly, and never retries a file without failures', () => {
    const fixed = { ...failed, failures: undefined, failedWith: { model: 'm', endpoint: 'e', attempts: 2 } };
    expect(withFailureCount(fixed, fixed.failedWith, context).failedWith).toBeUndefined();
    expect(retryDue({ ...failed, failures: [] }, context)).toBe(false);
  });
});

describe('redaction', () => {
  it.each([
    ['Authorization: Bearer sk-live-abcdefghijklmnop', 'Authorization: Bearer [redacted]'],
    ['{"headers": {"authorization": "Bearer sk-live-abcdefghijklmnop"}}', '{"headers": {"authorization": "Bearer [redacted]"}}'],
    ['x-api-key=abcdef123456; retry', 'x-api-key=[redacted]; retry'],
    ['GET https://alice:hunter2@embed.example.com/v1/models failed', 'GET https://[redacted]@embed.example.com/v1/models failed'],
    ['token Basic YWxpY2U6aHVudGVyMg==', 'token Basic [redacted]'],
  ])('%s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('cuts a known key wherever it appears, whatever surrounds it', () => {
    expect(redactSecrets('your key k3y-0123456789 is not valid (k3y-0123456789)', ['k3y-0123456789'])).toBe('your key [redacted] is not valid ([redacted])');
    expect(urlWithoutCredentials('http://a:b@127.0.0.1:8080/v1')).toBe('http://127.0.0.1:8080/v1');
  });
});

describe('printable', () => {
  it('escapes controls, DEL, C1 and bidi overrides, and leaves other text alone', () => {
    expect(printable('a\u001b]0;title\u0007b\nc\td\u007f\u009b\u202eé 設定')).toBe('a\\e]0;title\\u{7}b\\nc\\td\\u{7f}\\u{9b}\\u{202e}é 設定');
  });
});
