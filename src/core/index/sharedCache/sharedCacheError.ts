/**
 * A shared cache that cannot be used: 'refused' when it is there but not fit (damaged,
 * truncated, another model or request shape, too large), 'unreachable' when it could not be
 * read or fetched at all. Either way it is raised before the index is touched.
 */
export class SharedCacheError extends Error {
  override name = 'SharedCacheError';
  /** Refused only because it was made for another model, vector size or request shape. */
  readonly foreign: boolean;

  constructor(
    readonly kind: 'refused' | 'unreachable',
    message: string,
    options: { cause?: unknown; foreign?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.foreign = options.foreign ?? false;
  }
}
