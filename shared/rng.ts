/**
 * A small seeded pseudo-random generator (sfc32 seeded through splitmix32), so every sampled,
 * mutated or shuffled value is reproducible from a seed that is written to the run directory.
 */

/** A source of uniform random numbers. All randomness in cellsearch flows through one of these. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n); n must be a positive integer. */
  int(n: number): number;
  /** The generator's state, to save and restore (for resumable searches). */
  state(): readonly [number, number, number, number];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator from an integer seed (any safe integer; the same seed gives the same stream). */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / 2 ** 32));
  const rng = rngFromState([mix(), mix(), mix(), mix()]);
  // sfc32 mixes its state over its first outputs; discarding a few is the usual warm-up.
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

/** A generator that continues from a saved {@link Rng.state}. */
export function rngFromState(state: readonly [number, number, number, number]): Rng {
  let [a, b, c, d] = state.map((x) => x >>> 0) as [number, number, number, number];
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  const next = (): number => nextUint32() / 2 ** 32;
  return {
    next,
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0)
        throw new RangeError(`int(n) needs a positive integer, got ${n}`);
      return Math.floor(next() * n);
    },
    state: () => [a, b, c, d] as const,
  };
}
