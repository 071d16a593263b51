/**
 * The one way accuracies and rewards are shown to people: as percentages. Machine output (JSON,
 * CSV, the run store) keeps them as fractions in [0, 1].
 */

/** Decimals of a shown percentage: enough to tell apart rewards of one trial's validation split. */
export const PERCENT_DECIMALS = 2;

/** A fraction as a percentage (`0.2891` -> `28.91%`); `-` when missing or not finite (NaN, null). */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '-';
  return `${(100 * fraction).toFixed(PERCENT_DECIMALS)}%`;
}
