/**
 * The exact extreme of a chain-structured sum (dynamic programming, as Viterbi decoding): states
 * s_0 .. s_{n-1}, each one of `states` values, scored by per-position terms plus terms of each
 * adjacent pair. O(n * states^2), against states^n for trying every sequence.
 */

/** A chain sum: `unary(k, s)` for position k in state s; `pair(k, s, t)` for positions k, k + 1. */
export interface ChainSum {
  readonly length: number;
  readonly states: number;
  readonly unary: (position: number, state: number) => number;
  readonly pair: (position: number, state: number, next: number) => number;
}

/** The extreme value and a state sequence that attains it (the first found on ties). */
export interface ChainExtreme {
  readonly value: number;
  readonly states: readonly number[];
}

/** The largest (`sign` 1) or least (`sign` -1) total of `chain`, and where it is attained. */
export function chainExtreme(chain: ChainSum, sign: 1 | -1): ChainExtreme {
  const { length, states } = chain;
  if (length === 0) return { value: 0, states: [] };
  // best[s]: the extreme (times sign) of positions 0..k ending in state s;
  // from[k][s]: the predecessor it came from.
  let best = Array.from({ length: states }, (_, s) => sign * chain.unary(0, s));
  const from: Int32Array[] = [];
  for (let k = 1; k < length; k++) {
    const choice = new Int32Array(states);
    const next = new Array<number>(states);
    for (let t = 0; t < states; t++) {
      let top = -Infinity;
      for (let s = 0; s < states; s++) {
        const total = (best[s] ?? -Infinity) + sign * chain.pair(k - 1, s, t);
        if (total > top) {
          top = total;
          choice[t] = s;
        }
      }
      next[t] = top + sign * chain.unary(k, t);
    }
    from.push(choice);
    best = next;
  }
  const top = Math.max(...best);
  const path = [best.indexOf(top)];
  for (let k = from.length - 1; k >= 0; k--) path.unshift(from[k]?.[path[0] ?? 0] ?? 0);
  return { value: sign * top, states: path };
}
