/**
 * Everything the controller knows about one search strategy, in one value: its config schema, how
 * it is created fresh or from a snapshot, its snapshot schema, what it readies before a search and
 * what the dashboard shows of it. The registry (registry.ts) lists one entry per strategy; the code
 * that creates, restores, prepares and charts strategies reads only entries.
 */
import type { z } from 'zod';
import type { Genotype } from '../../shared/genotype.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import type { SignalReplay, StrategySignalBase } from './signal-replay.ts';
import type { Candidate, RngState, Strategy, StrategySnapshotBase } from './types.ts';

/** What every strategy config holds: the strategy's name and the seed of its random numbers. */
export interface StrategyConfigBase {
  readonly name: string;
  readonly seed: number;
}

/** The three types a strategy is made of: its config, its snapshot and its dashboard signal. */
export interface StrategyTypes {
  readonly config: StrategyConfigBase;
  readonly snapshot: StrategySnapshotBase;
  readonly signal: StrategySignalBase;
}

/** Strategies' types by name: what a registry of entries is built over. */
export type StrategyTypesMap = { readonly [name: string]: StrategyTypes };

/**
 * The schemas every snapshot schema is made from, for the run's search space: the fields of
 * {@link StrategySnapshotBase} but `name`, a genotype (parsed against the space) and a count.
 */
export interface SnapshotParts {
  readonly base: {
    readonly version: z.ZodType<1, unknown>;
    readonly rng: z.ZodType<RngState, unknown>;
    readonly nextId: z.ZodNumber;
    readonly pending: z.ZodType<Candidate[], unknown>;
  };
  readonly genotype: z.ZodType<Genotype, unknown>;
  /** A non-negative safe integer. */
  readonly count: z.ZodNumber;
}

/** One strategy, as the registry lists it; `T` says its config, snapshot and signal types. */
export interface StrategyEntry<T extends StrategyTypes> {
  /** Its `--strategy` name, also its config's and its snapshot's `name`. */
  readonly name: T['config']['name'];
  /** Its config schema (from shared/strategy-config.ts for the built-ins): options and defaults. */
  readonly config: z.ZodType<T['config'], unknown>;
  /** Its snapshot schema, from the common parts; shapes that depend on the config are checked by `create`. */
  readonly snapshot: (parts: SnapshotParts) => z.ZodType<T['snapshot'], unknown>;
  /**
   * The strategy over `space`, fresh from its seed or continuing exactly from `snapshot`; throws
   * SnapshotMismatchError for a snapshot of another shape than the config's.
   */
  readonly create: (
    config: T['config'],
    space: SearchSpace,
    snapshot?: T['snapshot'],
  ) => Strategy<T['snapshot']>;
  /** Readies what it needs before its first tell (once per process), if anything. */
  readonly prepare?: () => Promise<void>;
  /** The dashboard's replay of its learning signal from the run's journal. */
  readonly signal: (config: T['config']) => SignalReplay<T['signal']>;
  /**
   * The sampling log-probability in a candidate's meta, for strategies whose signal uses it: the
   * dashboard then keeps it for every trial it reads.
   */
  readonly logpOf?: (meta: unknown) => number | null;
}

/** A table of entries, each under its own name (checked when a registry is made of it). */
export type StrategyTable<M extends StrategyTypesMap> = {
  readonly [N in keyof M]: StrategyEntry<M[N]>;
};

/** Any strategy's snapshot in a registry over `M`. */
export type SnapshotIn<M extends StrategyTypesMap> = M[keyof M]['snapshot'];

/** Any strategy's dashboard signal in a registry over `M`. */
export type SignalIn<M extends StrategyTypesMap> = M[keyof M]['signal'];
