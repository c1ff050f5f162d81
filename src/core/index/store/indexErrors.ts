/** The index on disk fails a check: it can be rebuilt, but only with the user's consent. */
export class CorruptIndexError extends Error {
  override name = 'CorruptIndexError';
}

/**
 * The index was built with another model or vector size than the one configured now; its
 * vectors cannot be compared with new ones, so it has to be rebuilt.
 */
export class IndexMismatchError extends Error {
  override name = 'IndexMismatchError';
  constructor(
    readonly indexed: { model: string; dimensions: number | 'full' },
    readonly configured: { model: string; dimensions: number | 'full' },
  ) {
    super(
      `The index was built with ${describe(indexed)}, but the settings now ask for ${describe(configured)}. ` +
        'Vectors of different models or sizes cannot be mixed, so the index must be rebuilt.',
    );
  }
}

function describe(config: { model: string; dimensions: number | 'full' }): string {
  const size = config.dimensions === 'full' ? 'full-size vectors' : `${config.dimensions}-dimension vectors`;
  return `the model "${config.model}" (${size})`;
}

/**
 * The index folder, or a file in it, is not what Sightline writes there: a symbolic link, not
 * a folder, or a folder that holds other things. Sightline refuses to read or write through it,
 * because a repository can ship such a folder to make it touch files elsewhere.
 */
export class UnsafeIndexFolderError extends Error {
  override name = 'UnsafeIndexFolderError';
}
