/**
 * The vocabulary of search strategies: candidates, the ask/tell contract, what every strategy's
 * JSON-able snapshot holds, and the search snapshot that wraps it. Each strategy's own snapshot type
 * lives beside it. Types only, so every strategy module can import them without a cycle.
 */
import type { Genotype } from '../../shared/genotype.ts';

/** A genotype a strategy wants trained. */
export interface Candidate {
  /** Sequential per strategy, starting at 1; never reused, also across snapshot and restore. */
  readonly id: number;
  readonly genotype: Genotype;
  /**
   * What the strategy needs back at tell time; JSON-able (random search: null; evolution and RL:
   * their own meta types). The strategy keeps its own copy of pending candidates, so a candidate
   * rebuilt from storage only needs the right id.
   */
  readonly meta: unknown;
}

/**
 * A search strategy as a plain, seeded state machine: no Rx, no I/O. Given the same config and the
 * same sequence of ask/tell calls it produces the same candidates. `S`: its snapshot.
 */
export interface Strategy<S extends StrategySnapshotBase = StrategySnapshotBase> {
  readonly name: S['name'];
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
  /** The full state, JSON-able; `createStrategy` with it continues exactly where this left off. */
  snapshot(): S;
}

export type {
  EvolutionConfig,
  RandomConfig,
  RlAlgorithm,
  RlConfig,
  StrategyConfig,
  StrategyConfigOf,
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

/** What every strategy's snapshot holds, with the name of the strategy it is of. */
export interface StrategySnapshotBase extends SnapshotBase {
  readonly name: string;
}

/**
 * What a search saves as its snapshot: the strategy's state and the position of the ask/tell journal
 * that state reflects, so that a resume restores it and replays only the journal entries after it.
 */
export interface SearchSnapshot<S extends StrategySnapshotBase = StrategySnapshotBase> {
  readonly version: 1;
  /** The sequence number of the last journal entry the strategy state includes (0: none). */
  readonly journalSeq: number;
  readonly strategy: S;
}
