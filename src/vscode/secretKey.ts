/** SecretStorage key for an endpoint: its origin (scheme, host and port), never its path. */
export function secretKeyFor(endpoint: string): string {
  let origin: string;
  try {
    origin = new URL(endpoint).origin;
  } catch {
    throw new Error(`"${endpoint}" is not a valid endpoint URL`);
  }
  return `sightline.apiKey:${origin}`;
}

export function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
