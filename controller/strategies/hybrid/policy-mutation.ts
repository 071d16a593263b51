/**
 * Evo-NAS's mutation: a child keeps its parent's decisions except the re-sampled ones, each drawn
 * from the policy conditioned on the child's decisions before it (the LSTM is fed the child's own
 * choices, as when it samples). A re-sampled decision is drawn among the slot's other choices, in
 * proportion to the policy's probabilities, so every child differs from its parent.
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
 * `parent` with the `mutated` slots re-sampled from the policy, and the child's log-probability
 * under the policy (every decision's, copied ones included: what PPO's ratio is taken against).
 */
export function mutateSequence(
  layout: PolicyLayout,
  weights: SamplerWeights,
  parent: readonly number[],
  mutated: readonly number[],
  rng: Rng,
): SampledSequence {
  const resample = new Set(mutated);
  return runPolicy(layout, weights, (t, logp) =>
    resample.has(t) ? pickOther(logp, parent[t] ?? 0, rng.next()) : (parent[t] ?? 0),
  );
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
