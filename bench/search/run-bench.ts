/**
 * The strategy benchmark's core: every strategy on every landscape for every seed, each a real
 * `nas-ctl search` against a landscape trainer process, a few at once; then the table's cells.
 */
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import type { StrategyName } from '../../shared/strategy-config.ts';
import { summarize, type BenchCell } from './bench-summary.ts';
import type { LandscapeName } from './landscapes.ts';
import { runSearchJob, type SearchJob, type SearchOutcome } from './search-run.ts';

/** What to run. */
export interface BenchOptions {
  readonly strategies: readonly StrategyName[];
  readonly landscapes: readonly LandscapeName[];
  /** Seeds 0 .. seeds - 1: each seeds both the landscape and the strategy. */
  readonly seeds: number;
  /** Trials after which best-found is read; each search runs the largest. */
  readonly budgets: readonly number[];
  /** Searches run at once (each a controller and a trainer process). */
  readonly jobs: number;
  /**
   * Trials each search runs at once (its trainer's capacity). Small against the budget, or every
   * early candidate is asked before any result comes back and the strategies cannot differ.
   */
  readonly inFlight: number;
  /** Where the run directories go (`<landscape>-<strategy>-seed<n>`). */
  readonly runsDir: string;
  /** Called with each finished search. */
  readonly onSearch?: (outcome: SearchOutcome) => void;
}

/** Every search's outcome and the table's cells. */
export interface BenchReport {
  readonly outcomes: readonly SearchOutcome[];
  readonly cells: readonly BenchCell[];
}

/**
 * Runs the benchmark in the `default` space. Each search has a trainer process of its own, so its
 * results depend on its seed, not on how many searches run at once.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const trials = Math.max(...options.budgets);
  const jobs: SearchJob[] = options.landscapes.flatMap((landscape) =>
    options.strategies.flatMap((strategy) =>
      Array.from({ length: options.seeds }, (_, seed) => ({
        strategy,
        landscape,
        seed,
        trials,
        inFlight: options.inFlight,
        space: DEFAULT_SPACE,
      })),
    ),
  );
  const outcomes = await inPool(jobs, Math.max(1, options.jobs), async (job) => {
    const outcome = await runSearchJob(job, options.runsDir);
    options.onSearch?.(outcome);
    return outcome;
  });
  return { outcomes, cells: summarize(outcomes, options.budgets) };
}

/**
 * `work` on every item, at most `width` at once; results in item order. After the first failure no
 * item starts, and the failure is thrown once the running ones have ended.
 */
async function inPool<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      const item = items[index];
      if (item === undefined) continue;
      try {
        results[index] = await work(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const workers = Array.from({ length: Math.min(width, items.length) }, worker);
  // Wait for the searches already running to end before reporting the first failure.
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return results;
}
