/**
 * Seeds for tfjs's random ops, derived from a run's seed and a position (parameter index, forward
 * call, random site), so that initialisation, dropout and drop path repeat exactly under one seed.
 */

/** One splitmix32 round: a well-mixed unsigned 32-bit value of `x`. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A non-negative 32-bit seed that depends on every part, in order (any safe integers). */
export function deriveSeed(...parts: readonly number[]): number {
  let h = 0x2545f491;
  for (const part of parts) {
    const low = part >>> 0;
    const high = Math.floor(part / 2 ** 32) >>> 0;
    h = mix32(h ^ mix32(low ^ mix32(high)));
  }
  return h;
}
