/** The campaign's table: one row per fault with rounds tried, held and failed, and notes. */
import { textTable } from '../../controller/reports/text-table.ts';
import type { RoundOutcome } from './fault.ts';

/** The outcomes of one fault's rounds. */
export interface FaultRow {
  readonly name: string;
  readonly outcomes: readonly RoundOutcome[];
  /** What the seconds measure (e.g. "noticed"), shown with their median and max. */
  readonly measure?: string;
}

/** Whether any round of any fault failed. */
export function anyFailed(rows: readonly FaultRow[]): boolean {
  return rows.some((row) => row.outcomes.some((o) => o.kind === 'failed'));
}

/** The table: fault | tried | held | failed | notes. */
export function formatTable(rows: readonly FaultRow[]): string {
  const lines = rows.map((row) => {
    const count = (kind: RoundOutcome['kind']): number =>
      row.outcomes.filter((o) => o.kind === kind).length;
    const tried = count('held') + count('failed');
    return [
      row.name,
      String(tried),
      String(count('held')),
      String(count('failed')),
      notes(row, count('missed')),
    ];
  });
  return textTable(['fault', 'tried', 'held', 'failed', 'notes'], lines, [
    'left',
    'right',
    'right',
    'right',
    'left',
  ]);
}

function notes(row: FaultRow, missed: number): string {
  const seconds = row.outcomes.flatMap((o) =>
    o.kind !== 'missed' && o.seconds !== undefined ? [o.seconds] : [],
  );
  const parts: string[] = [];
  if (row.measure !== undefined && seconds.length > 0) {
    const sorted = [...seconds].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
    const max = sorted.at(-1) ?? 0;
    parts.push(`${row.measure} median ${secondsText(median)}, max ${secondsText(max)}`);
  }
  if (missed > 0) parts.push(`${missed} missed (the search ended before the fault)`);
  const firstFailure = row.outcomes.find((o) => o.kind === 'failed');
  if (firstFailure !== undefined) parts.push(`e.g. ${firstFailure.note}`);
  return parts.join('; ');
}

/** Seconds with one decimal, or milliseconds under a second. */
function secondsText(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(1)} s`;
}
