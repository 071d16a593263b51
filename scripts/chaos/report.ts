/**
 * The campaign's table and verdict: one row per fault with the rounds asked, tried (the fault was
 * injected), held, failed and missed (attempts that could not inject it, each tried again), and
 * notes. The campaign passes only when every fault was tried as often as asked and none failed.
 */
import { textTable } from '../../controller/reports/text-table.ts';
import type { RoundOutcome } from './fault.ts';
import type { RoundRecord } from './round-retry.ts';

/** The rounds of one fault. */
export interface FaultRow {
  readonly name: string;
  /** Rounds asked for (`--rounds`). */
  readonly asked: number;
  readonly rounds: readonly RoundRecord[];
  /** What the seconds measure (e.g. "noticed"), shown with their median and max. */
  readonly measure?: string;
}

/** A row's counts: rounds tried (held + failed), held, failed, and missed attempts. */
export interface RowCounts {
  readonly tried: number;
  readonly held: number;
  readonly failed: number;
  /** Attempts that were missed, over all rounds (each was tried again, within the bound). */
  readonly missed: number;
  /** Rounds whose every attempt was missed. */
  readonly neverInjected: number;
}

/** The counts of `row`. */
export function rowCounts(row: FaultRow): RowCounts {
  const count = (kind: RoundOutcome['kind']): number =>
    row.rounds.filter((r) => r.outcome.kind === kind).length;
  return {
    tried: count('held') + count('failed'),
    held: count('held'),
    failed: count('failed'),
    missed: row.rounds.reduce((sum, r) => sum + r.missed.length, 0),
    neverInjected: count('missed'),
  };
}

/** The campaign's exit code and, when it is not 0, one line per reason. */
export interface Verdict {
  readonly code: 0 | 1;
  readonly reasons: readonly string[];
}

/** 1 when any round failed or any fault was tried fewer times than asked; else 0. */
export function campaignVerdict(rows: readonly FaultRow[]): Verdict {
  const reasons = rows.flatMap((row) => {
    const c = rowCounts(row);
    const lines: string[] = [];
    if (c.failed > 0) lines.push(`${row.name}: ${c.failed} of ${c.tried} tried rounds failed`);
    if (c.tried < row.asked)
      lines.push(`${row.name}: tried ${c.tried} times, ${row.asked} asked (${lastMiss(row)})`);
    return lines;
  });
  return { code: reasons.length === 0 ? 0 : 1, reasons };
}

/** The table: fault | asked | tried | held | failed | missed | notes. */
export function formatTable(rows: readonly FaultRow[]): string {
  const lines = rows.map((row) => {
    const c = rowCounts(row);
    const numbers = [row.asked, c.tried, c.held, c.failed, c.missed].map(String);
    return [row.name, ...numbers, notes(row, c)];
  });
  return textTable(['fault', 'asked', 'tried', 'held', 'failed', 'missed', 'notes'], lines, [
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
    'left',
  ]);
}

function notes(row: FaultRow, counts: RowCounts): string {
  const seconds = row.rounds.flatMap(({ outcome: o }) =>
    o.kind !== 'missed' && o.seconds !== undefined ? [o.seconds] : [],
  );
  const parts: string[] = [];
  if (row.measure !== undefined && seconds.length > 0) {
    const sorted = [...seconds].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
    const max = sorted.at(-1) ?? 0;
    parts.push(`${row.measure} median ${secondsText(median)}, max ${secondsText(max)}`);
  }
  if (counts.neverInjected > 0)
    parts.push(`${counts.neverInjected} round(s) never injected: ${lastMiss(row)}`);
  else if (counts.missed > 0) parts.push(`missed attempts tried again: ${lastMiss(row)}`);
  const firstFailure = row.rounds.find((r) => r.outcome.kind === 'failed');
  if (firstFailure !== undefined) parts.push(`e.g. ${clip(firstFailure.outcome.note)}`);
  return parts.join('; ');
}

/** The note of the row's last missed attempt (why the fault could not be injected). */
function lastMiss(row: FaultRow): string {
  return clip(row.rounds.flatMap((r) => r.missed).at(-1)?.note ?? 'never attempted');
}

/** A note cut to one table cell's worth (the log above the table has it whole). */
function clip(note: string, max = 160): string {
  return note.length <= max ? note : `${note.slice(0, max - 3)}...`;
}

/** Seconds with one decimal, or milliseconds under a second. */
function secondsText(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(1)} s`;
}
