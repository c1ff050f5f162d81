// The two hot loops of a search, over data in one WebAssembly.Memory: the int8 scan and the
// float16 rescoring. They run as the WebAssembly SIMD kernels of simd/searchKernels.wat when the
// runtime validates that module, else as plain JS loops that compute bit-identical float32
// results (same integer sums, same float32 operations in the same order), so results never
// depend on which path ran.
import { float16DecodeTable } from './float16';
import { SEARCH_KERNELS_WASM_BASE64 } from './simd/searchKernelsWasm';

export type KernelMode = 'auto' | 'simd' | 'js';

/** All pointers are byte offsets into the kernels' memory. */
export interface SearchKernels {
  readonly simd: boolean;
  /**
   * out[r] = f32(dot(codes row r, query)) * scales[r] for r < rows: int8 code rows `stride`
   * bytes apart, float32 scales, the query as int16 values zero-padded to chunks * 16 dims,
   * float32 output.
   */
  score(codes: number, stride: number, scales: number, rows: number, query: number, chunks: number, out: number): void;
  /**
   * For r < rows of chunks * 8 contiguous float16 values against a float32 query of as many
   * values: out[2r] = dot product, out[2r + 1] = squared norm of the row (float32).
   */
  rescore(halves: number, rows: number, chunks: number, query: number, out: number): void;
}

let kernelModule: WebAssembly.Module | null | undefined;

function simdModule(): WebAssembly.Module | null {
  if (kernelModule === undefined) {
    const bytes = Buffer.from(SEARCH_KERNELS_WASM_BASE64, 'base64');
    // validate() is the feature test: a runtime without SIMD rejects the v128 instructions.
    kernelModule = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return kernelModule;
}

export function isWasmSimdAvailable(): boolean {
  return simdModule() !== null;
}

export function createSearchKernels(memory: WebAssembly.Memory, mode: KernelMode = 'auto'): SearchKernels {
  const module = mode === 'js' ? null : simdModule();
  if (module) {
    const { exports } = new WebAssembly.Instance(module, { env: { memory } });
    return { simd: true, score: exports.score as SearchKernels['score'], rescore: exports.rescore as SearchKernels['rescore'] };
  }
  if (mode === 'simd') throw new Error('WebAssembly SIMD is not available in this runtime');
  return {
    simd: false,
    score: (...args) => scoreWithJs(memory, ...args),
    rescore: (...args) => rescoreWithJs(memory, ...args),
  };
}

function scoreWithJs(
  memory: WebAssembly.Memory,
  codesPtr: number,
  stride: number,
  scalesPtr: number,
  rows: number,
  queryPtr: number,
  chunks: number,
  outPtr: number,
): void {
  // Views are made per call because growing the memory replaces its buffer.
  const buffer = memory.buffer;
  const codes = new Int8Array(buffer);
  const scales = new Float32Array(buffer, scalesPtr, rows);
  const query = new Int16Array(buffer, queryPtr, chunks * 16);
  const out = new Float32Array(buffer, outPtr, rows);
  const dims = chunks * 16;
  for (let r = 0; r < rows; r++) {
    const base = codesPtr + r * stride;
    let dot = 0;
    for (let j = 0; j < dims; j++) dot += codes[base + j]! * query[j]!;
    out[r] = Math.fround(Math.fround(dot) * scales[r]!);
  }
}

function rescoreWithJs(memory: WebAssembly.Memory, halvesPtr: number, rows: number, chunks: number, queryPtr: number, outPtr: number): void {
  const buffer = memory.buffer;
  const dims = chunks * 8;
  const halves = new Uint16Array(buffer, halvesPtr, rows * dims);
  const query = new Float32Array(buffer, queryPtr, dims);
  const out = new Float32Array(buffer, outPtr, rows * 2);
  const table = float16DecodeTable();
  const f = Math.fround;
  // Four float32 lanes as in the SIMD kernel: lane l adds dim 8c+l, then dim 8c+4+l. Each
  // f32 sum or product computed in float64 and rounded once equals the float32 operation.
  const dot = new Float64Array(4);
  const norm = new Float64Array(4);
  for (let r = 0; r < rows; r++) {
    dot.fill(0);
    norm.fill(0);
    const base = r * dims;
    for (let c = 0; c < dims; c += 8) {
      for (let half = 0; half < 8; half += 4) {
        for (let l = 0; l < 4; l++) {
          const x = table[halves[base + c + half + l]!]!;
          dot[l] = f(dot[l]! + f(x * query[c + half + l]!));
          norm[l] = f(norm[l]! + f(x * x));
        }
      }
    }
    out[2 * r] = f(f(dot[0]! + dot[1]!) + f(dot[2]! + dot[3]!));
    out[2 * r + 1] = f(f(norm[0]! + norm[1]!) + f(norm[2]! + norm[3]!));
  }
}
