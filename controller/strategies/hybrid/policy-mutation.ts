/**
 * Evo-NAS's mutation: a child keeps its parent's decisions except the re-sampled ones, each drawn
 * from the policy conditioned on the child's decisions before it (the LSTM is fed the child's own
 * choices, as when it samples). A re-sampled decision is drawn among the slot's other choices, in
 * proportion to the policy's probabilities, so every child differs from its parent. Which slots are
 * re-sampled is drawn uniformly or where the policy disagrees with the parent (RENAS); a child may
 * also re-sample a few slots uniformly among their other choices.
 */
import type { Rng } from '../../../shared/rng.ts';
import type { PolicyLayout } from '../rl/policy-layout.ts';
import { runPolicy, type SampledSequence, type SamplerWeights } from '../rl/sampler.ts';

/**
 * The slots a child re-samples: each slot with more than one choice with probability `rate`, and
 * one of them drawn uniformly when none was.
 */
export function mutatedSlots(choices: readonly number[], rate: number, rng: Rng): number[] {
  const open = choices.flatMap((n, slot) => (n > 1 ? [slot] : []));
  const drawn = open.filter(() => rng.next() < rate);
  if (drawn.length > 0 || open.length === 0) return drawn;
  return [open[rng.int(open.length)] ?? 0];
}

/**
 * As many slots as {@link mutatedSlots} draws, chosen without replacement in proportion to
 * `weight` (RENAS's idea: mutate where the policy would choose otherwise); uniformly among the
 * open slots when every weight is (almost) zero.
 */
export function weightedSlots(
  choices: readonly number[],
  weight: readonly number[],
  rate: number,
  rng: Rng,
): number[] {
  const open = choices.flatMap((n, slot) => (n > 1 ? [slot] : []));
  const k = Math.max(1, open.filter(() => rng.next() < rate).length);
  const picked: number[] = [];
  for (let i = 0; i < k && picked.length < open.length; i++) {
    const left = open.filter((slot) => !picked.includes(slot));
    const total = left.reduce((sum, slot) => sum + (weight[slot] ?? 0), 0);
    let u = rng.next() * total;
    const slot = total > 1e-12 ? left.find((s) => (u -= weight[s] ?? 0) < 0) : undefined;
    // Rounding can leave u just above the last weight: the last slot, as `pick` does.
    picked.push(slot ?? (total > 1e-12 ? left.at(-1) : left[rng.int(left.length)]) ?? 0);
  }
  return picked.sort((a, b) => a - b);
}

/**
 * Per slot, the policy's probability of a choice other than the parent's, conditioned on the
 * parent's decisions before it: how much the policy disagrees with each of the parent's decisions.
 */
export function disagreement(
  layout: PolicyLayout,
  weights: SamplerWeights,
  parent: readonly number[],
): number[] {
  const out: number[] = [];
  runPolicy(layout, weights, (t, logp) => {
    const keep = parent[t] ?? 0;
    out.push(logp.length > 1 ? Math.max(0, 1 - Math.exp(logp[keep] ?? -Infinity)) : 0);
    return keep;
  });
  return out;
}

/** `count` open slots outside `taken`, drawn uniformly without replacement. */
export function uniformSlots(
  choices: readonly number[],
  taken: readonly number[],
  count: number,
  rng: Rng,
): number[] {
  const left = choices.flatMap((n, slot) => (n > 1 && !taken.includes(slot) ? [slot] : []));
  const picked: number[] = [];
  while (picked.length < count && left.length > 0)
    picked.push(...left.splice(rng.int(left.length), 1));
  return picked.sort((a, b) => a - b);
}

/**
 * `parent` with the `mutated` slots re-sampled from the policy and the `uniform` ones uniformly
 * among their other choices, and the child's log-probability under the policy (every decision's,
 * copied ones included: what PPO's ratio is taken against).
 */
export function mutateSequence(
  layout: PolicyLayout,
  weights: SamplerWeights,
  parent: readonly number[],
  mutated: readonly number[],
  rng: Rng,
  uniform: readonly number[] = [],
): SampledSequence {
  const resample = new Set(mutated);
  const anyOther = new Set(uniform);
  return runPolicy(layout, weights, (t, logp) => {
    const keep = parent[t] ?? 0;
    if (resample.has(t)) return pickOther(logp, keep, rng.next());
    if (!anyOther.has(t) || logp.length < 2) return keep;
    const k = rng.int(logp.length - 1);
    return k < keep ? k : k + 1;
  });
}

/**
 * A choice other than `except`, drawn with `u` in [0, 1) in proportion to its probability; uniform
 * among the others when the policy gives them (almost) none.
 */
export function pickOther(logp: Float64Array, except: number, u: number): number {
  const others = logp.length - 1;
  if (others <= 0) return except;
  let total = 0;
  for (let a = 0; a < logp.length; a++) if (a !== except) total += Math.exp(logp[a] ?? -Infinity);
  if (!(total > 1e-12)) {
    const k = Math.min(others - 1, Math.floor(u * others));
    return k < except ? k : k + 1;
  }
  let cumulative = 0;
  let last = except;
  for (let a = 0; a < logp.length; a++) {
    if (a === except) continue;
    last = a;
    cumulative += Math.exp(logp[a] ?? -Infinity);
    if (u * total < cumulative) return a;
  }
  return last;
}
