/**
 * The small formats the live views share: durations (elapsed, ETA), log timestamps, losses and
 * lines cut to a terminal's width. Every one shows `-` for a value that is not known rather than
 * NaN, Infinity or a template token. Widths are terminal cells as `string-width` counts them (a CJK
 * character or an emoji takes two), and lines are cut by `cli-truncate`, which never splits one.
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/** True for a finite number (a metric that was measured). */
export const isKnown = (x: number | null | undefined): x is number =>
  typeof x === 'number' && Number.isFinite(x);

/**
 * A duration for people, at most two units: `42s`, `3m05s`, `1h02m`, `2d03h`; `-` when unknown.
 * Negative durations (a clock step) show as `0s`.
 */
export function formatDuration(ms: number | null): string {
  if (!isKnown(ms)) return '-';
  const s = Math.max(0, Math.round(ms / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor(s / 3600) % 24)}h`;
}

/** A log line's timestamp: ISO 8601 in UTC to the second (`2026-12-03T14:02:11Z`), sortable across days. */
export function formatTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/** A loss to four decimals; `-` when unknown. */
export function formatLoss(x: number | null | undefined): string {
  return isKnown(x) ? x.toFixed(4) : '-';
}

/** A rate to one decimal; `-` when unknown. */
export function formatRate(x: number | null): string {
  return isKnown(x) ? x.toFixed(1) : '-';
}

/**
 * `parts` joined by `separator` into as few lines as fit `columns` cells (one short of the width,
 * as {@link fitWidth}); a part wider than a line gets a line of its own (and is cut when drawn).
 */
export function packParts(
  parts: readonly string[],
  columns: number | undefined,
  separator = ' | ',
): string[] {
  const width = columns !== undefined && columns > 1 ? columns - 1 : 79;
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.at(-1);
    if (
      last !== undefined &&
      stringWidth(last) + stringWidth(separator) + stringWidth(part) <= width
    )
      lines[lines.length - 1] = last + separator + part;
    else lines.push(part);
  }
  return lines;
}

/**
 * `line` cut to fit `columns` terminal cells, one short of the width: writing into the last cell
 * leaves terminals in a pending-wrap state that would make in-place redraws count lines wrong.
 */
export function fitWidth(line: string, columns: number | undefined): string {
  const width = columns !== undefined && columns > 1 ? columns - 1 : 79;
  return cliTruncate(line, width);
}
