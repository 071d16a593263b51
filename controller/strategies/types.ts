/**
 * The vocabulary of search strategies: candidates, the ask/tell contract, each strategy's config and
 * its JSON-able snapshot, and the search snapshot that wraps it. Types only, so every strategy module can import them without a cycle.
 */
import type { Genotype } from '../../shared/genotype.ts';
import type { Mutation } from '../../shared/mutate.ts';
import type { StrategyName } from '../../shared/strategy-config.ts';

/** A genotype a strategy wants trained. */
export interface Candidate {
  /** Sequential per strategy, starting at 1; never reused, also across snapshot and restore. */
  readonly id: number;
  readonly genotype: Genotype;
  /**
   * What the strategy needs back at tell time; JSON-able. Random search: null; evolution:
   * {@link EvolutionMeta}; RL: {@link RlMeta}. The strategy keeps its own copy of pending candidates,
   * so a candidate rebuilt from storage only needs the right id.
   */
  readonly meta: unknown;
}

/**
 * A search strategy as a plain, seeded state machine: no Rx, no I/O. Given the same config and the
 * same sequence of ask/tell calls it produces the same candidates.
 */
export interface Strategy {
  readonly name: StrategyName;
  /** The next candidate to train; may be called many times before results arrive. */
  ask(): Candidate;
  /**
   * A finished candidate's reward (validation accuracy in [0, 1]) or null when its trial failed.
   * Results may arrive in any order; telling a candidate that is not pending throws
   * {@link UnknownCandidateError}, so a result is never counted twice.
   */
  tell(candidate: Candidate, reward: number | null): void;
  /** The candidates asked for and not yet told, oldest first (to re-run after a resume). */
  pending(): readonly Candidate[];
  /** The full state, JSON-able; {@link createStrategy} with it continues exactly where this left off. */
  snapshot(): StrategySnapshot;
}

export type {
  EvolutionConfig,
  RandomConfig,
  RlAlgorithm,
  RlConfig,
  StrategyConfig,
  StrategyName,
} from '../../shared/strategy-config.ts';

/** The generator state of `shared/rng.ts`. */
export type RngState = readonly [number, number, number, number];

/** What every snapshot holds: the rng, the id counter and the candidates still in flight. */
export interface SnapshotBase {
  readonly version: 1;
  readonly rng: RngState;
  /** The id the next candidate gets. */
  readonly nextId: number;
  /** Candidates asked for and not yet told, oldest first. */
  readonly pending: readonly Candidate[];
}

/** Snapshot of random search. */
export interface RandomSnapshot extends SnapshotBase {
  readonly name: 'random';
}

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

/** Meta of an RL candidate: its decision sequence and the log-probability it was sampled with. */
export interface RlMeta {
  readonly decisions: readonly number[];
  readonly logp: number;
}

/** A finished trial waiting in the current minibatch; `reward` is already raised to the power. */
export interface RlFinished extends RlMeta {
  readonly reward: number;
}

/** A finished trial in a minibatch whose policy update is running: its advantage is fixed. */
export interface RlExample {
  readonly decisions: readonly number[];
  /** Log-probability under the policy that sampled it. */
  readonly oldLogp: number;
  /** Reward minus the baseline before the minibatch. */
  readonly advantage: number;
}

/** Controller weights and Adam state, as plain number arrays keyed by parameter name. */
export interface PolicySnapshot {
  readonly params: Readonly<Record<string, readonly number[]>>;
  /** Adam's first and second moment estimates, same keys and lengths as `params`. */
  readonly m: Readonly<Record<string, readonly number[]>>;
  readonly v: Readonly<Record<string, readonly number[]>>;
  /** Adam steps taken so far (for bias correction). */
  readonly step: number;
}

/** Snapshot of the RL controller. */
export interface RlSnapshot extends SnapshotBase {
  readonly name: 'rl';
  readonly policy: PolicySnapshot;
  /** The moving-average baseline; null until the first minibatch sets it. */
  readonly baseline: number | null;
  /** Finished trials of the minibatch being collected, in tell order. */
  readonly finished: readonly RlFinished[];
  /** Policy updates started so far (the latest may still be running; see `updating`). */
  readonly updates: number;
  /**
   * The minibatch whose update is running and not yet applied, or null. The update starts from
   * `policy` and is applied once the next minibatch is half full; a restored strategy starts it again.
   */
  readonly updating: readonly RlExample[] | null;
}

/** The snapshot of any strategy; `name` says which. */
export type StrategySnapshot = RandomSnapshot | EvolutionSnapshot | RlSnapshot;

/**
 * What a search saves as its snapshot: the strategy's state and the position of the ask/tell journal
 * that state reflects, so that a resume restores it and replays only the journal entries after it.
 */
export interface SearchSnapshot {
  readonly version: 1;
  /** The sequence number of the last journal entry the strategy state includes (0: none). */
  readonly journalSeq: number;
  readonly strategy: StrategySnapshot;
}
