/** Saving a strategy's generator in a snapshot. */
import type { Rng } from '../../shared/rng.ts';
import type { RngState } from './types.ts';

/**
 * The generator's state as four unsigned 32-bit integers. `Rng.state()` may return a word as a
 * negative int32; `rngFromState` reads both forms alike, so this only makes equal states compare
 * (and serialise) equal.
 */
export function saveRng(rng: Rng): RngState {
  const [a, b, c, d] = rng.state();
  return [a >>> 0, b >>> 0, c >>> 0, d >>> 0];
}
