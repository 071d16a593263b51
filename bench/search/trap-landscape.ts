/**
 * The deceptive landscape: the additive scores plus trap functions (Deb and Goldberg 1993) over
 * groups of op decisions, whose slope leads away from the optimum: each group pays most when all
 * its ops are the target ops, and otherwise pays more the fewer of them are.
 */
import { DECISION_FIELDS, decisionSlots } from '../../shared/decisions.ts';
import { createRng } from '../../shared/rng.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { normalize, toAccuracy, type Landscape, type LandscapeKind } from './landscape.ts';
import { bestChoices, drawSlotScores, scoreOf, scoreRange } from './slot-scores.ts';

/** Keeps this landscape's tables apart from another landscape's of the same seed. */
const SALT = 0x7a9;
/** Op decisions per trap group: opA and opB of two adjacent blocks. */
export const TRAP_ORDER = 4;
/** The traps' share of the value; the additive scores have the rest. */
export const TRAP_WEIGHT = 0.7;

/** A trap of order k on u hits: 1 when u = k, else (k - 1 - u) / k (so 0 hits pay (k - 1) / k). */
export function trap(hits: number, order: number): number {
  return hits === order ? 1 : (order - 1 - hits) / order;
}

/** The slots of the op decisions in decision order, in groups of {@link TRAP_ORDER}. */
function trapGroups(space: SearchSpace): number[][] {
  const opFields = new Set([DECISION_FIELDS.indexOf('opA'), DECISION_FIELDS.indexOf('opB')]);
  const slots = decisionSlots(space)
    .map((_, slot) => slot)
    .filter((slot) => opFields.has(slot % 5));
  const groups: number[][] = [];
  for (let i = 0; i < slots.length; i += TRAP_ORDER) groups.push(slots.slice(i, i + TRAP_ORDER));
  return groups;
}

/** The instance for `seed`: see {@link TRAP_LANDSCAPE}. */
export function createTrap(space: SearchSpace, seed: number): Landscape {
  const scores = drawSlotScores(space, createRng(seed * 16 + SALT));
  const { least, most } = scoreRange(scores);
  const target = bestChoices(scores);
  const groups = trapGroups(space);
  const value = (decisions: readonly number[]): number => {
    const traps = groups.map((group) => {
      const hits = group.filter((slot) => decisions[slot] === target[slot]).length;
      return trap(hits, group.length);
    });
    const trapPart = traps.reduce((sum, t) => sum + t, 0) / Math.max(1, traps.length);
    const additive = normalize(scoreOf(scores, decisions), least, most);
    return (1 - TRAP_WEIGHT) * additive + TRAP_WEIGHT * trapPart;
  };
  return {
    space,
    value,
    report: (decisions) => toAccuracy(value(decisions)),
    optimum: 1,
    optimal: target,
  };
}

/**
 * Value = 0.3 x the normalised additive score + 0.7 x the mean of order-4 traps over the op
 * decisions, whose target ops are the additive score's best ops. Optimum, exactly: 1, at the
 * additive optimum, where both parts reach their largest value 1 together; every other sequence
 * has a lower additive part.
 */
export const TRAP_LANDSCAPE: LandscapeKind = Object.freeze<LandscapeKind>({
  description: 'additive scores plus deceptive order-4 traps on the ops (rugged)',
  create: createTrap,
});
