// The WebAssembly memory that holds every segment's scan codes and scales, so one kernel
// instance scans them all. Its first page is scratch space for the query and a block of scores.
// Memory can only grow; space freed by removed segments is reused by compacting.

export const WASM_PAGE_BYTES = 65536;
/** One 32-bit WebAssembly memory addresses at most 4 GiB. */
export const MAX_CODE_MEMORY_BYTES = 65536 * WASM_PAGE_BYTES;

/** Scratch layout: the int16 query (up to 8192 dims), then float32 scores of one block. */
export const QUERY_PTR = 0;
export const MAX_SCAN_DIMS = 8192;
export const SCORES_PTR = MAX_SCAN_DIMS * 2;
export const BLOCK_ROWS = 4096;
export const DATA_START = WASM_PAGE_BYTES;

export function createCodeMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: DATA_START / WASM_PAGE_BYTES, maximum: MAX_CODE_MEMORY_BYTES / WASM_PAGE_BYTES });
}

/** Grows `memory` so that it holds at least `bytes` bytes. */
export function ensureCodeMemory(memory: WebAssembly.Memory, bytes: number): void {
  if (bytes > MAX_CODE_MEMORY_BYTES) {
    throw new RangeError(`scan codes need ${bytes} bytes; one WebAssembly memory holds at most ${MAX_CODE_MEMORY_BYTES}`);
  }
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE_BYTES));
}
