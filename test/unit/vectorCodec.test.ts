import { describe, expect, it } from 'vitest';
import { crc32, crc32Portable } from '../../src/core/index/vectors/crc32';
import { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from '../../src/core/index/vectors/float16';
import { dequantizeInt8, INT8_CODE_MAX, quantizeInt8 } from '../../src/core/index/vectors/int8Quantizer';
import { normalizeInPlace, truncateAndNormalize } from '../../src/core/common/matryoshka';
import { seededRandom } from '../support/fakeServer/seededRandom';

const random = seededRandom;

describe('float16', () => {
  it('round-trips every finite half exactly', () => {
    for (let bits = 0; bits < 65536; bits++) {
      const exp = (bits >>> 10) & 0x1f;
      if (exp === 0x1f) continue;
      expect(toFloat16Bits(fromFloat16Bits(bits))).toBe(bits);
    }
  });

  it('rounds midpoints between neighbouring halves to the even one', () => {
    for (let bits = 0; bits < 0x7bff; bits += 37) {
      const lo = fromFloat16Bits(bits);
      const hi = fromFloat16Bits(bits + 1);
      const even = bits % 2 === 0 ? bits : bits + 1;
      expect(toFloat16Bits((lo + hi) / 2)).toBe(even);
      expect(toFloat16Bits(-(lo + hi) / 2)).toBe(even | 0x8000);
    }
  });

  it('handles the edges of the range', () => {
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(65520)).toBe(0x7c00); // rounds up to infinity
    expect(toFloat16Bits(Infinity)).toBe(0x7c00);
    expect(toFloat16Bits(-Infinity)).toBe(0xfc00);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
    expect(toFloat16Bits(2 ** -24)).toBe(1); // smallest subnormal
    expect(toFloat16Bits(2 ** -26)).toBe(0); // below half of it: zero
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(fromFloat16Bits(0x3c00)).toBe(1);
  });

  it('keeps embedding-sized values within half an ulp (relative 2^-11)', () => {
    const rand = random(7);
    const values = new Float32Array(20000).map(() => (rand() - 0.5) * 0.4);
    const back = float16ToFloat32(float32ToFloat16(values));
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      const error = Math.abs(back[i]! - x);
      // Normal halves: relative error <= 2^-11; below 2^-14, absolute error <= 2^-25.
      expect(error).toBeLessThanOrEqual(Math.max(Math.abs(x) * 2 ** -11, 2 ** -25));
    }
  });

  it('encodes plain arrays like Float32Arrays', () => {
    const values = [0.1, -0.25, 3e-6, 1e5];
    expect(Array.from(float32ToFloat16(values))).toEqual(Array.from(float32ToFloat16(Float32Array.from(values))));
  });
});

describe('truncateAndNormalize', () => {
  it('keeps the first k values scaled to unit length', () => {
    const v = Float32Array.from([3, 4, 12, 0]);
    const t = truncateAndNormalize(v, 2);
    expect(Array.from(t)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(v)).toEqual([3, 4, 12, 0]); // input untouched
  });

  it('leaves a zero prefix at zero and rejects impossible cuts', () => {
    expect(Array.from(truncateAndNormalize([0, 0, 1], 2))).toEqual([0, 0]);
    expect(() => truncateAndNormalize([1, 2], 3)).toThrow(RangeError);
    expect(() => truncateAndNormalize([1, 2], 0)).toThrow(RangeError);
    expect(Array.from(normalizeInPlace(Float32Array.from([0, -2])))).toEqual([0, -1]);
  });
});

describe('int8 quantisation', () => {
  it('uses the full code range per vector and reconstructs within half a step', () => {
    const rand = random(11);
    for (let trial = 0; trial < 50; trial++) {
      const v = normalizeInPlace(new Float32Array(1024).map(() => rand() - 0.5));
      const codes = new Int8Array(1024 + 8);
      const scale = quantizeInt8(v, 1024, codes, 8);
      const row = codes.subarray(8);
      expect(Math.max(...Array.from(row, Math.abs))).toBe(INT8_CODE_MAX);
      expect(Math.min(...row)).toBeGreaterThanOrEqual(-INT8_CODE_MAX);
      const back = dequantizeInt8(row, scale);
      for (let i = 0; i < v.length; i++) expect(Math.abs(back[i]! - v[i]!)).toBeLessThanOrEqual(scale * 0.5 + 1e-9);
    }
  });

  it('gives a zero vector zero codes and zero scale', () => {
    const codes = new Int8Array(4).fill(5);
    expect(quantizeInt8(new Float32Array(4), 4, codes)).toBe(0);
    expect(Array.from(codes)).toEqual([0, 0, 0, 0]);
  });

  it('keeps dot products of unit vectors close to the float values', () => {
    const rand = random(5);
    const a = normalizeInPlace(new Float32Array(1024).map(() => rand() - 0.5));
    const b = normalizeInPlace(new Float32Array(1024).map((_, i) => a[i]! + (rand() - 0.5)));
    const ca = new Int8Array(1024);
    const cb = new Int8Array(1024);
    const sa = quantizeInt8(a, 1024, ca);
    const sb = quantizeInt8(b, 1024, cb);
    let exact = 0;
    let approx = 0;
    for (let i = 0; i < 1024; i++) {
      exact += a[i]! * b[i]!;
      approx += ca[i]! * cb[i]!;
    }
    expect(Math.abs(approx * sa * sb - exact)).toBeLessThan(2e-3);
  });
});

describe('crc32', () => {
  it('matches the standard check value and continues across pieces', () => {
    const data = new TextEncoder().encode('123456789');
    expect(crc32(data)).toBe(0xcbf43926);
    expect(crc32Portable(data)).toBe(0xcbf43926);
    expect(crc32(data.subarray(4), crc32(data.subarray(0, 4)))).toBe(0xcbf43926);
    expect(crc32Portable(data.subarray(4), crc32Portable(data.subarray(0, 4)))).toBe(0xcbf43926);
  });
});
