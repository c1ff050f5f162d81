/** The file extension thumbnails of this MIME type are stored under. */
export function extensionOf(mimeType: string): string {
  return mimeType === 'image/jpeg' ? 'jpg' : (mimeType.split('/')[1] ?? 'bin');
}
