// One error type for every way a vector file can be unreadable, so the caller can react the
// same way (drop the segment and re-index its items) while the message still says what broke.

export type CorruptVectorFileReason = 'truncated' | 'magic' | 'version' | 'header-crc' | 'layout' | 'size' | 'body-crc';

export class CorruptVectorFileError extends Error {
  override readonly name = 'CorruptVectorFileError';

  constructor(
    readonly path: string,
    readonly reason: CorruptVectorFileReason,
    detail: string,
  ) {
    super(`Corrupt vector file ${path} (${reason}): ${detail}`);
  }
}
