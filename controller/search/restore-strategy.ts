/**
 * A resumed run's strategy: its latest snapshot, parsed against the run's search space and strategy,
 * with every journal entry after it replayed, and the trials the store finished but the journal
 * never told (a crash between the two) told now. A snapshot that does not read back — damaged,
 * hand-edited, or from another run — is a CorruptRunError naming the run directory and the field.
 */
import { CellsearchError, InvalidValueError } from '../../shared/errors.ts';
import { genotypeHash } from '../../shared/canonical.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import {
  SnapshotMismatchError,
  STRATEGY_REGISTRY,
  type SearchSnapshot,
  type Strategy,
  type StrategyConfigBase,
  type StrategyRegistry,
} from '../strategies/strategy.ts';
import { CorruptRunError, type RunStore, type TrialRecord } from '../store/index.ts';

/** A journal that does not replay onto the restored strategy. */
export class ResumeMismatchError extends CellsearchError {
  constructor(message: string) {
    super('RESUME_MISMATCH', message);
  }
}

/** Violations listed in a one-line error, at most; the rest are counted. */
const LISTED_VIOLATIONS = 3;

/**
 * The strategy of the run in `store`, continuing exactly where the stopped or crashed search was;
 * `registry` knows the config's strategy and its snapshot.
 */
export function restoreStrategy(
  config: StrategyConfigBase,
  space: SearchSpace,
  store: RunStore,
  registry: StrategyRegistry = STRATEGY_REGISTRY,
): Strategy {
  const saved = latestSnapshot(registry, config, space, store);
  // Every trial of the run, read once (only when a check needs them): decoding is most of a read.
  let read: readonly TrialRecord[] | undefined;
  const trials = (): readonly TrialRecord[] => (read ??= store.trials());
  if (saved !== undefined) checkAgainstStore(saved, store, trials);
  const strategy = restoreFrom(registry, config, space, store, saved);
  replayJournal(strategy, store, saved?.journalSeq ?? 0);
  tellFinishedButUntold(strategy, store, trials);
  return strategy;
}

/** The latest snapshot, parsed; undefined before the first. */
function latestSnapshot(
  registry: StrategyRegistry,
  config: StrategyConfigBase,
  space: SearchSpace,
  store: RunStore,
): SearchSnapshot | undefined {
  const stored = store.latestSnapshot();
  if (stored === null) return undefined;
  try {
    return registry.parseSearchSnapshot(stored.snapshot, space, config.name);
  } catch (err) {
    if (!(err instanceof InvalidValueError)) throw err;
    const listed = err.violations
      .slice(0, LISTED_VIOLATIONS)
      .map((v) => `${v.path === '' ? '(root)' : v.path}: ${v.message}`);
    const more = err.violations.length - listed.length;
    if (more > 0) listed.push(`and ${more} more`);
    throw new CorruptRunError(store.dir, 'the latest strategy snapshot', listed.join('; '));
  }
}

/**
 * A snapshot belongs to this run's store: it is not ahead of the journal, and every candidate it
 * holds pending was queued as a trial with the same genotype (else it would never run again).
 */
function checkAgainstStore(
  saved: SearchSnapshot,
  store: RunStore,
  trials: () => readonly TrialRecord[],
): void {
  const where = 'the latest strategy snapshot';
  const position = store.journal.position();
  if (saved.journalSeq > position) {
    const why = `it reflects journal entry ${saved.journalSeq}, but the journal ends at ${position}`;
    throw new CorruptRunError(store.dir, where, why);
  }
  if (saved.strategy.pending.length === 0) return;
  const queued = new Map(trials().map((t) => [t.candidateId, t.hash]));
  saved.strategy.pending.forEach((candidate, i) => {
    if (queued.get(candidate.id) === genotypeHash(candidate.genotype)) return;
    const why = `pending candidate ${candidate.id} has no trial in the run`;
    throw new CorruptRunError(store.dir, where, `strategy.pending[${i}]: ${why}`);
  });
}

/** The strategy from `saved` (fresh without one); a snapshot of another shape (RL weights) names the run. */
function restoreFrom(
  registry: StrategyRegistry,
  config: StrategyConfigBase,
  space: SearchSpace,
  store: RunStore,
  saved: SearchSnapshot | undefined,
): Strategy {
  try {
    return registry.create(config, space, saved?.strategy);
  } catch (err) {
    if (!(err instanceof SnapshotMismatchError)) throw err;
    throw new CorruptRunError(store.dir, 'the latest strategy snapshot', err.message);
  }
}

/** Replays the journal entries after `afterSeq` onto `strategy`. */
function replayJournal(strategy: Strategy, store: RunStore, afterSeq: number): void {
  for (const entry of store.journal.entriesAfter(afterSeq)) {
    if (entry.kind === 'ask') {
      const candidate = strategy.ask();
      if (candidate.id !== entry.candidateId) {
        throw new ResumeMismatchError(
          `${store.dir}: replaying the journal asked candidate ${candidate.id}, expected ${entry.candidateId}`,
        );
      }
    } else {
      const candidate = strategy.pending().find((c) => c.id === entry.candidateId);
      if (candidate === undefined)
        throw new ResumeMismatchError(
          `${store.dir}: the journal tells candidate ${entry.candidateId}, which is not pending`,
        );
      strategy.tell(candidate, entry.reward);
    }
  }
}

/** Trials the store finished but the journal never told (a crash between the two): tell them now. */
function tellFinishedButUntold(
  strategy: Strategy,
  store: RunStore,
  trials: () => readonly TrialRecord[],
): void {
  const pending = strategy.pending();
  if (pending.length === 0) return;
  const finished = new Map(
    trials()
      .filter((t) => t.finishOrder !== null)
      .map((t) => [t.candidateId, t]),
  );
  for (const candidate of pending) {
    const trial = finished.get(candidate.id);
    if (trial === undefined) continue;
    strategy.tell(candidate, trial.reward);
    store.journal.told(candidate.id, trial.reward);
  }
}
