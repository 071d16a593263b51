/**
 * The additive landscape: every decision contributes its own seeded score, with no interactions, so
 * a search that improves one decision at a time can reach the top.
 */
import { createRng } from '../../shared/rng.ts';
import { normalize, toAccuracy, type LandscapeKind } from './landscape.ts';
import { bestChoices, drawSlotScores, scoreOf, scoreRange } from './slot-scores.ts';

/** Keeps this landscape's tables apart from another landscape's of the same seed. */
const SALT = 0xadd;

/**
 * Value = the summed per-decision scores ({@link drawSlotScores}), mapped linearly so the least
 * possible sum is 0 and the largest 1. Optimum, exactly: 1, at each slot's best choice (a sum of
 * independent terms is largest where each term is).
 */
export const ADDITIVE_LANDSCAPE: LandscapeKind = Object.freeze<LandscapeKind>({
  description: 'a sum of per-decision scores, no interactions',
  create: (space, seed) => {
    const scores = drawSlotScores(space, createRng(seed * 16 + SALT));
    const { least, most } = scoreRange(scores);
    const value = (decisions: readonly number[]): number =>
      normalize(scoreOf(scores, decisions), least, most);
    return {
      space,
      value,
      report: (decisions) => toAccuracy(value(decisions)),
      optimum: 1,
      optimal: bestChoices(scores),
    };
  },
});
