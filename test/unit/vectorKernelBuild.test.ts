import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SEARCH_KERNELS_WASM_BASE64 } from '../../src/core/index/vectors/simd/searchKernelsWasm';

interface KernelBuild {
  compileSearchKernels(): Promise<Uint8Array>;
  renderSearchKernelsModule(bytes: Uint8Array): string;
}

const simdDir = new URL('../../src/core/index/vectors/simd/', import.meta.url);

describe('generated search kernels', () => {
  it('match searchKernels.wat (rerun simd/build.mjs after editing it)', async () => {
    // A computed specifier keeps the plain-JS build script out of the type check.
    const buildScript = new URL('build.mjs', simdDir).href;
    const build = (await import(buildScript)) as KernelBuild;
    const bytes = await build.compileSearchKernels();
    expect(Buffer.from(SEARCH_KERNELS_WASM_BASE64, 'base64').equals(Buffer.from(bytes))).toBe(true);
    const generated = await readFile(new URL('searchKernelsWasm.ts', simdDir), 'utf8');
    expect(generated).toBe(build.renderSearchKernelsModule(bytes));
  });
});
