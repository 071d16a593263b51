/**
 * Seeded per-decision score tables: for every decision slot of a space, a score for each of its
 * choices, weighted by what the slot decides (an op matters more than a combiner). The additive
 * part of every landscape of the strategy benchmark is a sum of these.
 */
import { decisionSlots, type DecisionField } from '../../shared/decisions.ts';
import type { Rng } from '../../shared/rng.ts';
import type { SearchSpace } from '../../shared/search-space.ts';

/** How much each kind of decision weighs: ops most, then inputs, then the combiner. */
export const FIELD_WEIGHTS = Object.freeze({
  inputA: 0.5,
  inputB: 0.5,
  opA: 1,
  opB: 1,
  combine: 0.25,
} as const satisfies Record<DecisionField, number>);

/** Scores of every choice of every slot, in decision order: `scores[slot][choice]`. */
export type SlotScores = readonly (readonly number[])[];

/** Uniform scores in [0, weight) for every choice of every slot of `space`, drawn from `rng`. */
export function drawSlotScores(space: SearchSpace, rng: Rng): SlotScores {
  return decisionSlots(space).map((slot) =>
    Array.from({ length: slot.choices }, () => FIELD_WEIGHTS[slot.field] * rng.next()),
  );
}

/** The summed score of `decisions` (0 for a slot or choice the table lacks). */
export function scoreOf(scores: SlotScores, decisions: readonly number[]): number {
  let total = 0;
  decisions.forEach((choice, slot) => {
    total += scores[slot]?.[choice] ?? 0;
  });
  return total;
}

/** The best choice of each slot (the first of equal ones): the additive optimum's decisions. */
export function bestChoices(scores: SlotScores): number[] {
  return scores.map((row) => row.indexOf(Math.max(...row)));
}

/** The least and the largest summed score: each slot's own least and largest choice, summed. */
export function scoreRange(scores: SlotScores): { least: number; most: number } {
  let least = 0;
  let most = 0;
  for (const row of scores) {
    least += Math.min(...row);
    most += Math.max(...row);
  }
  return { least, most };
}
