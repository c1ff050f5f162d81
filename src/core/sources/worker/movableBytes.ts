/**
 * A copy of `bytes` in an ArrayBuffer of its own, which postMessage can move to another thread.
 * sharp's output wraps memory libvips allocated; Node will not detach such buffers and would
 * silently clone them instead, as it would a Buffer sharing a pooled ArrayBuffer. Copying here,
 * on the worker, keeps the main thread's side of the hand-off to a pointer move.
 */
export function movableBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Received bytes as a Buffer over the same memory, the type the in-process functions return. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
