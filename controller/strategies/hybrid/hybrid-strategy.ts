/**
 * Evo-NAS (Maziarz et al. 2018, "Evolutionary-Neural Hybrid Agents for Architecture Search",
 * arXiv 1811.09828) as a strategy: aging evolution (evolution.ts: a FIFO population of `population`
 * trained cells, parents by tournaments of `sample`) whose mutations the RL controller's policy
 * proposes. The first `warmup` candidates are drawn from the policy; once that many results are in,
 * a child copies its tournament winner's decisions (the population growing meanwhile to
 * `population`) and re-samples each with probability `mutationRate` (at least one) from the
 * policy, conditioned on the child's decisions before it, and `uniformMutations` more uniformly.
 * With `mutationSlots` 'policy' the re-sampled slots are drawn where the policy disagrees with the
 * parent (RENAS, Chen et al. 2019). Every result trains the policy (rl/policy-learner.ts, with
 * priority-queue replay of the `pqtSize` best cells); failed trials are left out of both.
 */
import { decisionSlots, decodeDecisions, encodeDecisions } from '../../../shared/decisions.ts';
import { createRng, rngFromState } from '../../../shared/rng.ts';
import type { SearchSpace } from '../../../shared/search-space.ts';
import type { HybridConfig } from '../../../shared/strategy-config.ts';
import { checkReward } from '../errors.ts';
import { tournament, type PopulationMember } from '../evolution.ts';
import { PendingCandidates } from '../pending.ts';
import { sequenceMeta } from '../rl/sequence-meta.ts';
import { saveRng } from '../rng-state.ts';
import type { Candidate, Strategy } from '../types.ts';
import type { HybridMeta, HybridSnapshot } from './hybrid-types.ts';
import {
  disagreement,
  mutatedSlots,
  mutateSequence,
  uniformSlots,
  weightedSlots,
} from './policy-mutation.ts';
import { PolicyLearner } from '../rl/policy-learner.ts';

/** An Evo-NAS hybrid strategy, fresh from `config.seed` or continuing from `snapshot`. */
export function createHybridStrategy(
  config: HybridConfig,
  space: SearchSpace,
  snapshot?: HybridSnapshot,
): Strategy<HybridSnapshot> {
  const rng = snapshot ? rngFromState(snapshot.rng) : createRng(config.seed);
  const learner = new PolicyLearner(space, config, rng, snapshot);
  const choices = decisionSlots(space).map((slot) => slot.choices);
  const pending = new PendingCandidates(snapshot?.nextId, snapshot?.pending);
  pending.list().forEach((c) => sequenceMeta(c, 'hybrid'));
  // Oldest first: members join at the end and leave from the front.
  const population: PopulationMember[] = [...(snapshot?.population ?? [])];

  function ask(): Candidate {
    if (population.length < Math.min(config.warmup, config.population)) {
      const { decisions, logp } = learner.sample(rng);
      const meta: HybridMeta = { kind: 'sample', decisions, logp };
      return pending.issue(decodeDecisions(decisions, space), meta);
    }
    const parent = tournament(population, config.sample, rng);
    const parentDecisions = encodeDecisions(parent.genotype, space);
    const { layout, samplerWeights } = learner.policy;
    const byPolicy =
      config.mutationSlots === 'policy'
        ? weightedSlots(
            choices,
            disagreement(layout, samplerWeights, parentDecisions),
            config.mutationRate,
            rng,
          )
        : mutatedSlots(choices, config.mutationRate, rng);
    const uniform = uniformSlots(choices, byPolicy, config.uniformMutations, rng);
    const { decisions, logp } = mutateSequence(
      layout,
      samplerWeights,
      parentDecisions,
      byPolicy,
      rng,
      uniform,
    );
    const mutated = [...byPolicy, ...uniform].sort((a, b) => a - b);
    const meta: HybridMeta = { kind: 'child', parentId: parent.id, mutated, decisions, logp };
    return pending.issue(decodeDecisions(decisions, space), meta);
  }

  function tell(candidate: Candidate, reward: number | null): void {
    checkReward(candidate.id, reward);
    const told = pending.take(candidate);
    const { decisions, logp } = sequenceMeta(told, 'hybrid');
    if (reward === null) return;
    population.push({ id: told.id, genotype: told.genotype, reward });
    while (population.length > config.population) population.shift();
    learner.learn({ decisions, logp, reward }, pending.size());
  }

  return {
    name: 'hybrid',
    ask,
    tell,
    pending: () => pending.list(),
    snapshot: (): HybridSnapshot => ({
      version: 1,
      name: 'hybrid',
      rng: saveRng(rng),
      nextId: pending.nextId(),
      pending: pending.list(),
      population: [...population],
      ...learner.state(),
    }),
  };
}
