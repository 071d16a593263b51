/**
 * The strategy benchmark's charts: per landscape, each strategy's best-found fraction of the
 * optimum against trials, the mean over the seeds, drawn by `nas-ctl compare`'s SVG renderer.
 */
import type { SearchCurve } from '../../controller/reports/best-so-far.ts';
import { renderCompareSvg } from '../../controller/reports/compare-chart.ts';
import type { SearchOutcome } from './search-run.ts';

/** The mean of several curves, point by point, as long as the shortest one. */
export function meanCurve(curves: readonly (readonly number[])[]): number[] {
  const length = Math.min(...curves.map((c) => c.length));
  if (!Number.isFinite(length)) return [];
  return Array.from(
    { length },
    (_, i) => curves.reduce((sum, c) => sum + (c[i] ?? 0), 0) / curves.length,
  );
}

/** The SVG of `landscape`'s outcomes: one mean curve per strategy. */
export function renderLandscapeChart(
  landscape: string,
  outcomes: readonly SearchOutcome[],
): string {
  const mine = outcomes.filter((o) => o.landscape === landscape);
  const strategies = [...new Set(mine.map((o) => o.strategy))];
  const seeds = new Set(mine.map((o) => o.seed)).size;
  const curves: SearchCurve[] = strategies.map((strategy) => {
    const mean = meanCurve(mine.filter((o) => o.strategy === strategy).map((o) => o.curve));
    return {
      label: strategy,
      points: mean.map((best, i) => ({ trial: i + 1, reward: best, best })),
    };
  });
  const title = `${landscape}: best found / optimum, mean of ${seeds} seed${seeds === 1 ? '' : 's'}`;
  return renderCompareSvg(curves, title);
}
