/**
 * The dashboard's reads of one run beyond its trial rows: every trial's learning curve, the
 * succeeded trials' genotypes for the decision importance, the trainers' log files and the run's
 * downloads. Each is read when the page asks for it, not on every change.
 */
import type Database from 'better-sqlite3';
import { existsSync, openSync, readSync, readdirSync, closeSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Genotype } from '../../shared/genotype.ts';
import { trialsCsv } from '../reports/trials-csv.ts';
import type { RunStore } from '../store/index.ts';
import type { DashboardTrial } from './dashboard-types.ts';
import { choiceAt, decisionImportance, type ImportanceTable } from './decision-importance.ts';

/** How many of the most important decisions the parallel coordinates draw as axes. */
export const PARALLEL_AXES = 6;

/** The decision importance, and each succeeded trial's choices at the top decisions. */
export interface ImportanceAnswer extends ImportanceTable {
  /** The places of the parallel coordinates' axes: the first {@link PARALLEL_AXES} decisions. */
  readonly axes: number;
  readonly rows: readonly {
    readonly trial: number;
    readonly reward: number;
    readonly choices: readonly (string | null)[];
  }[];
}

/** The most trials whose curves one answer carries (the latest ones). */
export const MAX_CURVES = 1000;

/** The most bytes of a log the page is sent: its end. */
export const LOG_TAIL_BYTES = 64 * 1024;

/** A log file's name: the trainers' logs the search writes (logs/trainer-1.log, ...). */
const LOG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.log$/;

/** One trial's validation accuracy by epoch. */
export interface TrialCurve {
  readonly trial: number;
  readonly epochs: readonly number[];
  readonly accuracy: readonly (number | null)[];
}

/** The end of one log file. */
export interface LogTail {
  readonly name: string;
  readonly text: string;
  /** Its size in bytes; the text is its last {@link LOG_TAIL_BYTES} when larger. */
  readonly bytes: number;
  readonly truncated: boolean;
}

/** Reads of one run on the dashboard's read-only connections. */
export class RunReads {
  private readonly genotypes = new Map<number, Genotype>();
  private readonly curveRows: Database.Statement<
    [number],
    { trial: number; epoch: number; accuracy: number | null }
  >;

  constructor(
    private readonly dir: string,
    private readonly store: RunStore,
    db: Database.Database,
  ) {
    this.curveRows = db.prepare(
      `SELECT trial_id AS trial, epoch, validation_accuracy AS accuracy FROM epochs
       WHERE trial_id > ? ORDER BY trial_id, epoch`,
    );
  }

  /** The latest {@link MAX_CURVES} trials' curves (those with at least one epoch), by trial id. */
  curves(lastTrialId: number): TrialCurve[] {
    const byTrial = new Map<number, { epochs: number[]; accuracy: (number | null)[] }>();
    for (const row of this.curveRows.all(Math.max(0, lastTrialId - MAX_CURVES))) {
      const curve = byTrial.get(row.trial) ?? { epochs: [], accuracy: [] };
      curve.epochs.push(row.epoch);
      curve.accuracy.push(
        row.accuracy !== null && Number.isFinite(row.accuracy) ? row.accuracy : null,
      );
      byTrial.set(row.trial, curve);
    }
    return [...byTrial].map(([trial, curve]) => ({ trial, ...curve }));
  }

  /**
   * The decision importance over `trials`' succeeded ones (genotypes read once, then kept), and
   * each one's choices at the most important decisions, for the parallel coordinates.
   */
  importance(trials: readonly DashboardTrial[]): ImportanceAnswer {
    const scored = trials.flatMap((t) => {
      if (t.status !== 'succeeded' || t.reward === null) return [];
      let genotype = this.genotypes.get(t.id);
      if (genotype === undefined) {
        genotype = this.store.trial(t.id).genotype;
        this.genotypes.set(t.id, genotype);
      }
      return [{ trial: t.id, genotype, reward: t.reward }];
    });
    const table = decisionImportance(scored);
    const top = table.decisions.slice(0, PARALLEL_AXES);
    const rows = scored.map((s) => ({
      trial: s.trial,
      reward: s.reward,
      choices: top.map((place) => choiceAt(s.genotype, place)),
    }));
    return { ...table, axes: top.length, rows };
  }

  /** Every trial as CSV (the columns of `nas-ctl export --trials-csv`). */
  trialsCsv(): string {
    return trialsCsv(this.store);
  }

  /** Whether the run directory holds a saved model (model.json beside weights.bin). */
  hasModel(): boolean {
    return existsSync(join(this.dir, 'model.json'));
  }

  /** The log files in the run's logs/ folder, by name. */
  logNames(): string[] {
    try {
      return readdirSync(join(this.dir, 'logs'))
        .filter((name) => LOG_NAME.test(name))
        .sort();
    } catch {
      return [];
    }
  }

  /** The end of log `name`, or null when the run has no such log (only listed names are read). */
  logTail(name: string): LogTail | null {
    if (!this.logNames().includes(name)) return null;
    const fd = openSync(join(this.dir, 'logs', name), 'r');
    try {
      const bytes = fstatSync(fd).size;
      const length = Math.min(bytes, LOG_TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, bytes - length);
      return { name, text: buffer.toString('utf8'), bytes, truncated: bytes > length };
    } finally {
      closeSync(fd);
    }
  }
}
