/**
 * The strategy benchmark's numbers: for each landscape, strategy and budget, the best-found
 * fraction of the optimum over the seeds (mean, spread), and the text table that prints them.
 */
import { textTable, type Align } from '../../controller/reports/text-table.ts';
import { bestAfter } from './best-found.ts';
import type { SearchOutcome } from './search-run.ts';

/** One cell of the table: best-found / optimum after `budget` trials, over the seeds. */
export interface BenchCell {
  readonly landscape: string;
  readonly strategy: string;
  readonly budget: number;
  /** One fraction per seed, in seed order. */
  readonly fractions: readonly number[];
  readonly mean: number;
  /** Sample standard deviation (0 for one seed). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

/** The cells of `outcomes` at each budget, by landscape, then strategy, then budget. */
export function summarize(
  outcomes: readonly SearchOutcome[],
  budgets: readonly number[],
): BenchCell[] {
  const groups = new Map<string, SearchOutcome[]>();
  for (const outcome of outcomes) {
    const key = `${outcome.landscape}\u0000${outcome.strategy}`;
    groups.set(key, [...(groups.get(key) ?? []), outcome]);
  }
  return [...groups.values()].flatMap((group) =>
    budgets.map((budget) => {
      const first = group[0];
      const fractions = [...group]
        .sort((a, b) => a.seed - b.seed)
        .map((o) => bestAfter(o.curve, budget));
      return {
        landscape: first?.landscape ?? '',
        strategy: first?.strategy ?? '',
        budget,
        ...spread(fractions),
      };
    }),
  );
}

function spread(
  fractions: readonly number[],
): Omit<BenchCell, 'landscape' | 'strategy' | 'budget'> {
  const n = fractions.length;
  const mean = fractions.reduce((sum, f) => sum + f, 0) / Math.max(1, n);
  const variance = n < 2 ? 0 : fractions.reduce((sum, f) => sum + (f - mean) ** 2, 0) / (n - 1);
  return {
    fractions,
    mean,
    sd: Math.sqrt(variance),
    min: Math.min(...fractions),
    max: Math.max(...fractions),
  };
}

/** `0.812 (0.795-0.830)`: the mean and, over several seeds, the range. */
function formatCell(cell: BenchCell): string {
  const mean = cell.mean.toFixed(3);
  return cell.fractions.length < 2
    ? mean
    : `${mean} (${cell.min.toFixed(3)}-${cell.max.toFixed(3)})`;
}

/** The table: one row per landscape and strategy, one column per budget. */
export function formatBenchTable(cells: readonly BenchCell[], budgets: readonly number[]): string {
  const rows = new Map<string, string[]>();
  for (const cell of cells) {
    const key = `${cell.landscape}\u0000${cell.strategy}`;
    const row = rows.get(key) ?? [cell.landscape, cell.strategy];
    row[2 + budgets.indexOf(cell.budget)] = formatCell(cell);
    rows.set(key, row);
  }
  const header = ['landscape', 'strategy', ...budgets.map((b) => `${b} trials`)];
  const align: Align[] = ['left', 'left', ...budgets.map((): Align => 'right')];
  return textTable(header, [...rows.values()], align);
}
