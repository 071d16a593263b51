/**
 * One run served by the dashboard, read on connections of its own, both read-only: the run store
 * (config, a trial's genotype and epochs, checked as the report commands check them) and a raw one
 * for the cheap change polls (`PRAGMA data_version` moves when another connection commits) and the
 * changed rows. In WAL mode a reader never blocks the search's writes, and every read here is a
 * short transaction, so a live search is never held up.
 */
import type Database from 'better-sqlite3';
import { InvalidValueError } from '../../shared/errors.ts';
import { renderGenotypeDot } from '../../shared/render.ts';
import { parseSearchSettings } from '../../shared/search-settings.ts';
import { openRunDatabase, openRunStore, UnknownTrialError, type RunStore } from '../store/index.ts';
import { comparableSettings, type ComparableSettings } from '../reports/settings-diff.ts';
import { cellDots } from './cell-dots.ts';
import type {
  CellDots,
  DashboardTrial,
  RunChange,
  StrategySignal,
  TrialDetail,
} from './dashboard-types.ts';
import { RunReads } from './run-reads.ts';
import { RunModel } from './run-model.ts';
import { runOverview, type LiveTrainer } from './run-overview.ts';
import { STRATEGY_REGISTRY } from '../strategies/registry.ts';
import { fixedSignal, signalReplay, type SignalReplay, type Told } from './strategy-signal.ts';
import { TrialRows } from './trial-rows.ts';

export type { LiveTrainer } from './run-overview.ts';

/** Where a served run comes from: its directory and, for the search serving it, its live trainers. */
export interface RunSource {
  readonly dir: string;
  readonly liveTrainers?: () => readonly LiveTrainer[];
}

/** A run opened for the dashboard. */
export class DashboardRun {
  private readonly model: RunModel;
  private readonly rows: TrialRows;
  private readonly tells: Database.Statement<[number], Told & { seq: number }> | null;
  private readonly replay: SignalReplay<StrategySignal>;
  private readonly maxTrials: number | null;
  private readonly epochs: number | null;
  private readonly dots = new Map<number, string>();
  private readonly cells = new Map<number, CellDots>();
  /** Curves, importance, logs and downloads, read when asked for. */
  readonly reads: RunReads;
  private readonly listeners = new Set<(change: RunChange) => void>();
  private version: number;
  private journalSeq = 0;
  private changeCount = 0;

  private constructor(
    readonly run: number,
    private readonly source: RunSource,
    private readonly store: RunStore,
    private readonly db: Database.Database,
  ) {
    const settings = readSettings(store);
    this.maxTrials = settings?.maxTrials ?? null;
    this.epochs = settings?.training.epochs ?? null;
    this.reads = new RunReads(source.dir, store, db);
    this.replay =
      settings === null
        ? fixedSignal('the run settings do not read back (nas-ctl doctor checks the run)')
        : signalReplay(settings.strategy);
    this.model = new RunModel(
      settings === null ? null : STRATEGY_REGISTRY.logpOf(settings.strategy.name),
    );
    this.rows = new TrialRows(db);
    this.tells = hasJournal(db)
      ? db.prepare(
          `SELECT seq, candidate_id AS candidateId, reward FROM strategy_journal
           WHERE seq > ? AND kind = 'tell' ORDER BY seq`,
        )
      : null;
    this.version = this.dataVersion();
    this.readChanges();
  }

  /** Opens the run in `source.dir` as the `run`-th of the dashboard; throws like `nas-ctl status`. */
  static open(run: number, source: RunSource): DashboardRun {
    const store = openRunStore(source.dir, { readonly: true });
    let db: Database.Database | null = null;
    try {
      db = openRunDatabase(source.dir, 'read');
      return new DashboardRun(run, source, store, db);
    } catch (err) {
      db?.close();
      store.close();
      throw err;
    }
  }

  /** The run's directory. */
  get dir(): string {
    return this.source.dir;
  }

  /** Whether the search writing the run serves this dashboard (its trainers' state is known). */
  get live(): boolean {
    return this.source.liveTrainers !== undefined;
  }

  /** How many changes {@link sync} has read so far. */
  get changes(): number {
    return this.changeCount;
  }

  /**
   * Reads what was committed since the last call, if anything, and hands the change to every
   * {@link onChange} listener; whoever calls it (a poll, a request), no change is missed.
   */
  sync(now = Date.now()): void {
    const version = this.dataVersion();
    if (version === this.version) return;
    this.version = version;
    this.changeCount += 1;
    const { trials, signalChanged } = this.readChanges();
    const change = { run: this.run, overview: this.overview(now), trials, signalChanged };
    for (const listener of this.listeners) listener(change);
  }

  /** Calls `listener` with each change {@link sync} reads; returns how to stop. */
  onChange(listener: (change: RunChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Where the run stands now. */
  overview(now = Date.now()): ReturnType<typeof runOverview> {
    return runOverview(this.model, {
      run: this.run,
      dir: this.source.dir,
      config: this.store.config(),
      maxTrials: this.maxTrials,
      epochs: this.epochs,
      model: this.reads.hasModel(),
      live: this.source.liveTrainers?.() ?? null,
      dotOf: (id) => this.dotOf(id),
      cellsOf: (id) => this.cellsOf(id),
      now,
    });
  }

  /** Every trial as a table row, by id. */
  trials(): DashboardTrial[] {
    return this.model.list();
  }

  /** One trial with its epochs and cells; throws `UnknownTrialError` for an id the run lacks. */
  trial(id: number): TrialDetail {
    this.sync();
    const trial = this.model.get(id);
    if (trial === undefined) throw new UnknownTrialError(id);
    const { genotype } = this.store.trial(id);
    return {
      trial,
      epochs: this.store.epochs(id).map((e) => ({
        epoch: e.epoch,
        trainLoss: finite(e.trainLoss),
        trainAccuracy: finite(e.trainAccuracy),
        validationLoss: finite(e.validationLoss),
        validationAccuracy: finite(e.validationAccuracy),
      })),
      genotype,
      dot: this.dotOf(id, genotype),
      cells: this.cellsOf(id, genotype),
    };
  }

  /**
   * The run's settings that decide what a reward means, and its budget, flattened as `nas-ctl
   * compare` reads them; null when they do not read back.
   */
  comparableSettings(): ComparableSettings | null {
    try {
      return comparableSettings(this.store.config(), this.source.dir, { withBudget: true });
    } catch (err) {
      if (err instanceof InvalidValueError) return null;
      throw err;
    }
  }

  /** The strategy's learning signal so far. */
  signal(): StrategySignal {
    return this.replay.signal();
  }

  /** Closes both connections. */
  close(): void {
    this.db.close();
    this.store.close();
  }

  private readChanges(): { trials: DashboardTrial[]; signalChanged: boolean } {
    // One read transaction: the rows and the journal entries are of the same commit.
    const read = this.db.transaction(() => ({
      rows: this.rows.since(this.model.finishedUpTo()),
      told: this.tells?.all(this.journalSeq) ?? [],
    }));
    const { rows, told } = read();
    const trials = this.model.apply(rows);
    for (const t of told) {
      this.replay.tell(t, (candidateId) => this.model.logpOf(candidateId));
      this.journalSeq = t.seq;
    }
    return { trials, signalChanged: told.length > 0 };
  }

  private dotOf(id: number, genotype = this.store.trial(id).genotype): string {
    let dot = this.dots.get(id);
    if (dot === undefined) {
      dot = renderGenotypeDot(genotype, `trial ${id}`);
      this.dots.set(id, dot);
    }
    return dot;
  }

  private cellsOf(id: number, genotype = this.store.trial(id).genotype): CellDots {
    let cells = this.cells.get(id);
    if (cells === undefined) {
      cells = cellDots(genotype, `trial ${id}`);
      this.cells.set(id, cells);
    }
    return cells;
  }

  private dataVersion(): number {
    return Number(this.db.pragma('data_version', { simple: true }));
  }
}

function readSettings(store: RunStore): ReturnType<typeof parseSearchSettings> | null {
  try {
    return parseSearchSettings(store.config().settings, store.dir);
  } catch (err) {
    if (err instanceof InvalidValueError) return null;
    throw err;
  }
}

function hasJournal(db: Database.Database): boolean {
  const row = db
    .prepare<[], { n: number }>(
      "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'strategy_journal'",
    )
    .get();
  return row?.n === 1;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
