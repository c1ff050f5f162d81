// The two hot loops of a search, over data in one WebAssembly.Memory: the int8 scan and the
// float16 rescoring. They run as the WebAssembly SIMD kernels of simd/searchKernels.wat when the
// runtime validates that module, else as plain JS loops that compute bit-identical float32
// results (same integer sums, same float32 operations in the same order), so results never
// depend on which path ran.
import { GROUP_ROWS } from './codeGroups';
import { float16DecodeTable } from './float16';
import { SEARCH_KERNELS_WASM_BASE64 } from './simd/searchKernelsWasm';

export type KernelMode = 'auto' | 'simd' | 'js';

/** All pointers are byte offsets into the kernels' memory. */
export interface SearchKernels {
  readonly simd: boolean;
  /**
   * out[r] = f32(dot(codes of row r, query)) * scales[r] for the 8 * groups rows of `groups`
   * code groups `groupBytes` apart, over the first `chunks` 16-dim chunks; codes and query in
   * the layout of codeGroups.ts, `bias` as returned by writeGroupedQuery.
   */
  score(codes: number, groupBytes: number, scales: number, groups: number, query: number, chunks: number, bias: number, out: number): void;
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
  groupBytes: number,
  scalesPtr: number,
  groups: number,
  queryPtr: number,
  chunks: number,
  bias: number,
  outPtr: number,
): void {
  // Views are made per call because growing the memory replaces its buffer.
  const buffer = memory.buffer;
  const unsigned = new Uint8Array(buffer);
  const signed = new Int8Array(buffer);
  const scales = new Float32Array(buffer, scalesPtr, groups * GROUP_ROWS);
  const out = new Float32Array(buffer, outPtr, groups * GROUP_ROWS);
  // Back from the kernel's query lanes to plain codes: q_odd = qb + 256 * q_even.
  const lanes = new Int16Array(buffer, queryPtr, chunks * 16);
  const query = new Int32Array(chunks * 16);
  for (let c = 0; c < chunks; c++) {
    for (let k = 0; k < 8; k++) {
      const even = lanes[c * 16 + k]!;
      query[c * 16 + 2 * k] = even;
      query[c * 16 + 2 * k + 1] = lanes[c * 16 + 8 + k]! + 256 * even;
    }
  }
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < GROUP_ROWS; i++) {
      // Even-dim bytes hold code + 128 and are read unsigned; the bias takes the 128s back out.
      let dot = -bias;
      for (let c = 0; c < chunks; c++) {
        const at = codesPtr + g * groupBytes + c * 128 + i * 16;
        for (let b = 0; b < 16; b += 2) {
          dot += unsigned[at + b]! * query[c * 16 + b]! + signed[at + b + 1]! * query[c * 16 + b + 1]!;
        }
      }
      const r = g * GROUP_ROWS + i;
      out[r] = Math.fround(Math.fround(dot) * scales[r]!);
    }
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
  // The SIMD kernel's accumulators: lane l of the first adds dim 8c+l, lane l of the second
  // dim 8c+4+l. Each float32 sum or product computed in float64 and rounded once equals the
  // float32 operation (float64 has more than twice float32's precision).
  const dot = new Float64Array(8);
  const norm = new Float64Array(8);
  for (let r = 0; r < rows; r++) {
    dot.fill(0);
    norm.fill(0);
    const base = r * dims;
    for (let c = 0; c < dims; c += 8) {
      for (let l = 0; l < 8; l++) {
        const x = table[halves[base + c + l]!]!;
        dot[l] = f(dot[l]! + f(x * query[c + l]!));
        norm[l] = f(norm[l]! + f(x * x));
      }
    }
    for (let l = 0; l < 4; l++) {
      dot[l] = f(dot[l]! + dot[l + 4]!);
      norm[l] = f(norm[l]! + norm[l + 4]!);
    }
    out[2 * r] = f(f(dot[0]! + dot[1]!) + f(dot[2]! + dot[3]!));
    out[2 * r + 1] = f(f(norm[0]! + norm[1]!) + f(norm[2]! + norm[3]!));
  }
}
