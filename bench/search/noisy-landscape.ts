/**
 * The noisy landscape: the pairwise landscape's value with seeded Gaussian noise on every reported
 * accuracy, as two trainings of one network differ. The optimum is the noise-free one.
 */
import { createRng } from '../../shared/rng.ts';
import { toAccuracy, type LandscapeKind } from './landscape.ts';
import { createPairwise } from './pairwise-landscape.ts';

/** Standard deviation of the noise on a reported accuracy. */
export const NOISE_SD = 0.05;

/** A 32-bit FNV-1a hash of `text`: a seed per (landscape seed, decisions, evaluation). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A standard normal draw (Box-Muller) from a generator seeded with `seed`. */
function gaussian(seed: number): number {
  const rng = createRng(seed);
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Reports the pairwise value plus N(0, 0.05^2) noise clipped to [0, 1]; the noise of an evaluation
 * depends only on the seed, the decisions and how many times they were evaluated before, so a run
 * is reproducible whatever order trials finish in. Optimum, exactly: the pairwise optimum, 1.
 */
export const NOISY_LANDSCAPE: LandscapeKind = Object.freeze<LandscapeKind>({
  description: `the pairwise landscape with Gaussian noise (sd ${NOISE_SD}) on each reported accuracy`,
  create: (space, seed) => {
    const clean = createPairwise(space, seed);
    const report = (decisions: readonly number[], evaluation: number): number => {
      const noise = NOISE_SD * gaussian(fnv1a(`${seed}:${decisions.join(',')}:${evaluation}`));
      return toAccuracy(clean.value(decisions) + noise);
    };
    return { ...clean, report };
  },
});
