/** Turns what opening or writing the index threw into one sentence for a notification. */
export function describeIndexError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'IndexMismatchError') return `${error.message} Run "Sightline: Clear Index", then index again.`;
    if (error.name === 'CorruptIndexError') return `The index is damaged (${error.message}). Run "Sightline: Clear Index" to rebuild it.`;
    return error.message;
  }
  return String(error);
}
