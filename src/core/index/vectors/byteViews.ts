// Typed arrays use the platform's byte order while the file format is little-endian; every
// platform VS Code ships on is little-endian, so files map to typed arrays without swapping.
import * as os from 'node:os';

export function assertLittleEndian(): void {
  if (os.endianness() !== 'LE') throw new Error('vector files need a little-endian platform');
}

export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
