/**
 * The dashboard's reads of the `trials` table on its own read-only connection: the trials that
 * changed since a finish order (those finished after it, and every unfinished one; a finished trial
 * never changes again), as table rows. No genotype is parsed: a row is what the table and the charts
 * show, and stays cheap for a run of many thousand trials.
 */
import type Database from 'better-sqlite3';
import { TRIAL_STATES } from '../store/schema.ts';
import { parseSummaryJson } from '../store/row-codec.ts';
import type { TrialState } from '../store/index.ts';
import type { DashboardTrial } from './dashboard-types.ts';

/** The columns read per trial. */
interface Row {
  id: number;
  candidate_id: number;
  status: string;
  reward: number | null;
  trainer: string | null;
  result: string | null;
  attempts: number;
  reason: string;
  hash: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  finish_order: number | null;
  meta: string;
  last_epoch: number | null;
  last_accuracy: number | null;
  images_per_second: number | null;
}

/** A trial row and its candidate's stored meta (JSON text, for the strategy signal). */
export interface ReadTrial {
  readonly trial: DashboardTrial;
  readonly meta: string;
}

/** Each epoch lookup is one seek in the epochs table's primary key (trial_id, epoch). */
const LAST_EPOCH = 'FROM epochs WHERE trial_id = trials.id ORDER BY epoch DESC LIMIT 1';
const COLUMNS = `id, candidate_id, status, reward, trainer, result, attempts, reason, hash,
  created_at, started_at, finished_at, finish_order, meta,
  (SELECT epoch ${LAST_EPOCH}) AS last_epoch,
  (SELECT validation_accuracy ${LAST_EPOCH}) AS last_accuracy,
  (SELECT AVG(images_per_second) FROM epochs WHERE trial_id = trials.id) AS images_per_second`;

/** Reads the trials that changed since a finish order, with statements prepared once. */
export class TrialRows {
  private readonly changed: Database.Statement<[number], Row>;

  constructor(db: Database.Database) {
    // Two indexed lookups: the finish order's unique index and trials_by_status.
    this.changed = db.prepare(
      `SELECT ${COLUMNS} FROM trials WHERE finish_order > ?
       UNION ALL SELECT ${COLUMNS} FROM trials WHERE status IN ('queued', 'running')
       ORDER BY id`,
    );
  }

  /** Trials finished after finish order `after`, and every unfinished trial, by id. */
  since(after: number): ReadTrial[] {
    return this.changed.all(after).map((row) => ({ trial: toTrial(row), meta: row.meta }));
  }
}

function toTrial(row: Row): DashboardTrial {
  const summary = summaryOf(row.result);
  return {
    id: row.id,
    candidateId: row.candidate_id,
    status: stateOf(row.status),
    reward: row.reward,
    params: summary?.params ?? null,
    multAdds: summary?.multAdds ?? null,
    latencyMs: summary?.latency?.batch1Ms ?? null,
    seconds: summary?.seconds ?? null,
    trainer: row.trainer,
    backend: summary?.backend ?? null,
    device: summary?.device ?? null,
    hash: row.hash,
    attempts: row.attempts,
    reason: row.reason,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    finishOrder: row.finish_order,
    epoch: row.last_epoch,
    validationAccuracy: finiteOrNull(row.last_accuracy),
    imagesPerSecond: finiteOrNull(row.images_per_second),
  };
}

/** The stored result summary, or null when there is none or it does not read (the row still shows). */
function summaryOf(json: string | null): ReturnType<typeof parseSummaryJson> | null {
  if (json === null) return null;
  try {
    return parseSummaryJson(json);
  } catch {
    return null;
  }
}

/** The schema's CHECK keeps status to these; a damaged row shows as queued rather than breaking the page. */
function stateOf(status: string): TrialState {
  return TRIAL_STATES.find((s) => s === status) ?? 'queued';
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
