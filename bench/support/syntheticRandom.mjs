// Seeded randomness for the synthetic benchmark data: a 32-bit generator and a table of
// standard normal quantiles, shared by the search and scale benchmarks.

/** mulberry32: a small, fast seeded generator of 32-bit words. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

// 65,536 standard normal quantiles; two 16-bit halves of one random word pick two of them.
// Coarse, but it keeps generating a billion values to seconds.
export const NORMALS = (() => {
  const table = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = inverseNormal((i + 0.5) / 65536);
  return table;
})();

function inverseNormal(p) {
  // Acklam's rational approximation: plenty for synthetic data.
  const a = [-39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [-0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const q = Math.min(p, 1 - p);
  let x;
  if (q > 0.02425) {
    const u = p - 0.5;
    const r = u * u;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const u = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0] * u + c[1]) * u + c[2]) * u + c[3]) * u + c[4]) * u + c[5]) / ((((d[0] * u + d[1]) * u + d[2]) * u + d[3]) * u + 1);
    if (p > 0.5) x = -x;
  }
  return x;
}
