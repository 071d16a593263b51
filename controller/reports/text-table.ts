/** Fixed-width text tables for the report commands. */
import stringWidth from 'string-width';
import { formatPercent } from '../../shared/percent.ts';
import { printable } from '../../shared/printable.ts';

/** How a column is aligned: text left, numbers right. */
export type Align = 'left' | 'right';

/**
 * A table with a header row, a rule under it, and columns padded to their widest cell. Cells go
 * through {@link printable} first (a trainer's address or a stored hash may hold controls), so the
 * widths are those of what is shown, counted in terminal cells by `string-width` (a CJK character
 * or an emoji takes two).
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const all = [header, ...rows].map((row) => row.map((cell) => printable(cell)));
  const widths = header.map((_, col) => Math.max(...all.map((row) => stringWidth(row[col] ?? ''))));
  const line = (row: readonly string[]): string =>
    widths
      .map((w, col) => {
        const cell = row[col] ?? '';
        const pad = ' '.repeat(w - stringWidth(cell));
        return align[col] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  const [head = [], ...body] = all;
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
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
