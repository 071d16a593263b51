/** Fixed-width text tables for the report commands. */
import { formatPercent } from '../../shared/percent.ts';

/** How a column is aligned: text left, numbers right. */
export type Align = 'left' | 'right';

/** A table with a header row, a rule under it, and columns padded to their widest cell. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const line = (row: readonly string[]): string =>
    widths
      .map((w, col) => {
        const cell = row[col] ?? '';
        return align[col] === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** An integer with thousands separators (`3,312,586`). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A reward (an accuracy) as people read it, a percentage, or `-` when there is none. */
export function formatReward(reward: number | null | undefined): string {
  return formatPercent(reward);
}

/** A timestamp (ms since the Unix epoch) as ISO 8601 UTC, or null. */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
