/** What every fault of the campaign is: a name, what it checks, and one round of it. */
import type { Rng } from '../../shared/rng.ts';
import type { ProcessRegistry } from './processes.ts';
import type { TrainerProcess } from './trainer-process.ts';

/** How one attempt at a round of a fault went. */
export type RoundOutcome =
  /** The fault was injected and its invariant held. */
  | { readonly kind: 'held'; readonly note: string; readonly seconds?: number }
  /** The fault was injected and its invariant did not hold: `note` says which part and why. */
  | { readonly kind: 'failed'; readonly note: string; readonly seconds?: number }
  /**
   * The fault could not be injected (the search ended first, the machine refused a mount): neither
   * held nor failed. The campaign tries the round again, and counts it short if it never could.
   */
  | { readonly kind: 'missed'; readonly note: string };

/** What a round may use: the seeded RNG, the registry of processes, two long-lived trainers. */
export interface ChaosContext {
  readonly rng: Rng;
  readonly registry: ProcessRegistry;
  /** Two trainers started once for the campaign; a round must leave them idle and working. */
  readonly shared: readonly [TrainerProcess, TrainerProcess];
  /** Trials of the searches the faults run (first attempt; see {@link attemptBudget}). */
  readonly budget: number;
  /** One line of progress for the person watching (stderr). */
  log(line: string): void;
}

/** One kind of fault. */
export interface Fault {
  /** The row's name in the table. */
  readonly name: string;
  /**
   * Runs one attempt at a round: injects the fault and checks its invariant. `attempt` counts the
   * round's earlier attempts that were missed (0 on the first): a later attempt gives the fault
   * more room (more trials, longer trials), so that what ended too early the first time does not.
   */
  run(ctx: ChaosContext, round: number, attempt: number): Promise<RoundOutcome>;
}

/** A uniformly random float in [lo, hi). */
export function between(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** The trials (or steps) of attempt `attempt` of a round: `base`, doubled with each missed attempt. */
export function attemptBudget(base: number, attempt: number): number {
  return base * 2 ** Math.min(attempt, 4);
}
