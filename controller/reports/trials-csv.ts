/**
 * `nas-ctl export --trials-csv`: every trial of a run, one CSV row each, for spreadsheets and data
 * frames. Accuracies are fractions, times ISO 8601 UTC, durations seconds, the genotype one line of
 * text (shared/genotype-text.ts; the JSON form stays in the run store and `best --json`).
 */
import { genotypeText } from '../../shared/genotype-text.ts';
import type { RunStore, TrialRecord } from '../store/index.ts';
import { csvDocument, type CsvValue } from './csv.ts';
import { isoTime } from './text-table.ts';

/** The columns of the trials CSV, in order. */
export const TRIALS_CSV_COLUMNS = [
  'id',
  'status',
  'reward',
  'test_accuracy',
  'params',
  'mult_adds',
  'latency_batch1_ms',
  'seconds',
  'attempts',
  'finish_order',
  'hash',
  'trainer',
  'created_at',
  'started_at',
  'finished_at',
  'reason',
  'genotype',
] as const;

/** The run's trials as CSV, in queueing order. */
export function trialsCsv(store: RunStore): string {
  return csvDocument(TRIALS_CSV_COLUMNS, store.trials().map(trialRow));
}

/** One trial's fields, in {@link TRIALS_CSV_COLUMNS} order. */
export function trialRow(t: TrialRecord): CsvValue[] {
  const r = t.result;
  return [
    t.id,
    t.status,
    t.reward,
    r?.testAccuracy ?? null,
    r?.params ?? null,
    r?.multAdds ?? null,
    r?.latency?.batch1Ms ?? null,
    r?.seconds ?? null,
    t.attempts,
    t.finishOrder,
    t.hash,
    t.trainer,
    isoTime(t.createdAt),
    isoTime(t.startedAt),
    isoTime(t.finishedAt),
    t.reason.replace(/\s+/g, ' ').trim(),
    genotypeText(t.genotype),
  ];
}
