/**
 * Regularized (aging) evolution, Real et al., AAAI 2019 ("Regularized Evolution for Image Classifier
 * Architecture Search"; P = 100, S = 25 in its NASNet-space runs): a FIFO
 * population of P trained models. While it is not full, candidates are uniform random samples; after
 * that each candidate is one mutation of the best of S members drawn uniformly with replacement.
 * Each trained candidate joins the population and the oldest member leaves; failed ones are dropped.
 */
import type { Genotype } from '../../shared/genotype.ts';
import { mutate, type Mutation } from '../../shared/mutate.ts';
import { createRng, rngFromState, type Rng } from '../../shared/rng.ts';
import { sampleGenotype } from '../../shared/sample.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { checkReward } from './errors.ts';
import { PendingCandidates } from './pending.ts';
import { saveRng } from './rng-state.ts';
import type { Candidate, EvolutionConfig, SnapshotBase, Strategy } from './types.ts';

/** Meta of an evolution candidate: a random member of the initial population, or a child. */
export type EvolutionMeta =
  | { readonly kind: 'random' }
  | { readonly kind: 'child'; readonly parentId: number; readonly mutation: Mutation };

/** A trained member of the evolving population. */
export interface PopulationMember {
  readonly id: number;
  readonly genotype: Genotype;
  readonly reward: number;
}

/** Snapshot of aging evolution: the population, oldest first. */
export interface EvolutionSnapshot extends SnapshotBase {
  readonly name: 'evolution';
  readonly population: readonly PopulationMember[];
}

/** An aging-evolution strategy, fresh from `config.seed` or continuing from `snapshot`. */
export function createEvolutionStrategy(
  config: EvolutionConfig,
  space: SearchSpace,
  snapshot?: EvolutionSnapshot,
): Strategy<EvolutionSnapshot> {
  const rng = snapshot ? rngFromState(snapshot.rng) : createRng(config.seed);
  const pending = new PendingCandidates(snapshot?.nextId, snapshot?.pending);
  // Oldest first: members join at the end and leave from the front.
  const population: PopulationMember[] = [...(snapshot?.population ?? [])];

  function ask(): Candidate {
    if (population.length < config.population) {
      const meta: EvolutionMeta = { kind: 'random' };
      return pending.issue(sampleGenotype(rng, space), meta);
    }
    const parent = tournament(population, config.sample, rng);
    const child = mutate(parent.genotype, rng, space, {
      identityProbability: config.identityProbability,
    });
    const meta: EvolutionMeta = { kind: 'child', parentId: parent.id, mutation: child.mutation };
    return pending.issue(child.genotype, meta);
  }

  function tell(candidate: Candidate, reward: number | null): void {
    checkReward(candidate.id, reward);
    const told = pending.take(candidate);
    if (reward === null) return;
    population.push({ id: told.id, genotype: told.genotype, reward });
    while (population.length > config.population) population.shift();
  }

  return {
    name: 'evolution',
    ask,
    tell,
    pending: () => pending.list(),
    snapshot: (): EvolutionSnapshot => ({
      version: 1,
      name: 'evolution',
      rng: saveRng(rng),
      nextId: pending.nextId(),
      pending: pending.list(),
      population: [...population],
    }),
  };
}

/**
 * The best of `sample` members drawn uniformly with replacement; ties go to the one drawn first.
 * `population` must not be empty.
 */
export function tournament(
  population: readonly PopulationMember[],
  sample: number,
  rng: Rng,
): PopulationMember {
  let best: PopulationMember | undefined;
  for (let i = 0; i < sample; i++) {
    const member = population[rng.int(population.length)];
    if (member !== undefined && (best === undefined || member.reward > best.reward)) best = member;
  }
  if (best === undefined) throw new RangeError('tournament needs a non-empty population');
  return best;
}
