// Secrets must not travel with messages. A server may echo the request's Authorization header
// in its error text, and an endpoint URL may carry `user:password@`; both end up in errors
// shown on screen, in logs and in the index's journal unless they are cut out here.

// The value may not be another scheme word ("token Basic <secret>" must lose the secret, not "Basic").
const BEARER = /\b(Bearer|Basic|Token)\s+(?!(?:Bearer|Basic|Token)\b)[A-Za-z0-9._~+/=:-]{4,}/gi;
const AUTH_HEADER = /\b(authorization|x-api-key|api-key|apikey)(["']?\s*[:=]\s*["']?)((?:Bearer|Basic|Token)\s+[^\s"',;}]+|[^\s"',;}]+)/gi;
const SCHEME = /^(Bearer|Basic|Token)\s/i;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*(:[^\s/@]*)?@/gi;

/** The URL with any `user:password@` removed (for display and as an identity). */
export function urlWithoutCredentials(url: string): string {
  return url.replace(URL_CREDENTIALS, '$1');
}

/**
 * `text` with credentials cut out: the given secrets wherever they appear, bearer tokens,
 * authorization-like header values and the user-info part of URLs.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out
    .replace(BEARER, '$1 [redacted]')
    .replace(AUTH_HEADER, (_match, name: string, separator: string, value: string) => {
      const scheme = SCHEME.exec(value)?.[1];
      return `${name}${separator}${scheme ? `${scheme} ` : ''}[redacted]`;
    })
    .replace(URL_CREDENTIALS, '$1[redacted]@');
}
