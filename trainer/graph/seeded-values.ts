/** Deterministic test and initial values, the same in every process and on every backend. */

/** Deterministic values in [-1, 1): a small linear congruential sequence. */
export function seededValues(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
