/** Turns what opening or writing the index threw into one sentence for a notification. */
export function describeIndexError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'IndexMismatchError') return `${error.message} Run "Sightline: Clear Index", then index again.`;
    if (error.name === 'CorruptIndexError') return `The index is damaged (${error.message}). Run "Sightline: Clear Index" to rebuild it.`;
    if (error.name === 'IndexBusyError') {
      return `${capitalised(error.message)}. This window searches the same index and refreshes as it changes; index from the other window, or close it and try again.`;
    }
    return error.message;
  }
  return String(error);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
