/**
 * The strategy benchmark: every search strategy on synthetic landscapes of known optimum
 * (bench/search/landscapes.ts), each search a real `nas-ctl search` against a real trainer process
 * speaking nas.v1 whose accuracies are the landscape's. Prints, per landscape, strategy and budget,
 * the best cell found as a fraction of the optimum (mean and range over seeds), and writes
 * results.json and one SVG chart per landscape to --out.
 * `--beat-random M` fails the run unless, at the largest budget, every strategy's mean beats random
 * search's by M on every landscape (`--quick` sets it).
 * Run: npm run bench:search [-- --budgets 100,300,1000 --seeds 3 --landscapes additive,trap
 *      --strategies random,evolution --jobs 2 --in-flight 8 --out DIR --beat-random 0.04 --quick]
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STRATEGY_NAMES, type StrategyName } from '../shared/strategy-config.ts';
import { renderLandscapeChart } from './search/bench-chart.ts';
import { formatBenchTable, type BenchCell } from './search/bench-summary.ts';
import { describeFailures, shortOfRandom } from './search/beats-random.ts';
import {
  isLandscapeName,
  LANDSCAPE_NAMES,
  LANDSCAPES,
  type LandscapeName,
} from './search/landscapes.ts';
import { runBench } from './search/run-bench.ts';

/**
 * The smoke size of `--quick` (about a minute; CI runs it): every strategy on the additive landscape
 * over 2 seeds, asserting that each beats random search at 300 trials by `beat-random`.
 */
const QUICK = {
  budgets: '100,300',
  seeds: '2',
  landscapes: 'additive',
  strategies: STRATEGY_NAMES.join(','),
  beatRandom: '0.04',
};

const { values } = parseArgs({
  options: {
    budgets: { type: 'string' },
    seeds: { type: 'string' },
    landscapes: { type: 'string' },
    strategies: { type: 'string' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    'in-flight': { type: 'string', default: '8' },
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'beat-random': { type: 'string' },
  },
});
const size = values.quick ? QUICK : undefined;

/** A comma-separated list of positive integers. */
function counts(flag: string, text: string): number[] {
  const list = text.split(',').map(Number);
  if (list.length === 0 || !list.every((n) => Number.isSafeInteger(n) && n > 0))
    throw new Error(`--${flag} ${text}: expected positive integers, comma-separated`);
  return list;
}

/** A comma-separated list of names from `allowed`. */
function names<N extends string>(
  flag: string,
  text: string,
  allowed: readonly N[],
  is: (name: string) => name is N,
): N[] {
  const list = text.split(',').map((name) => name.trim());
  const bad = list.filter((name) => !is(name));
  if (bad.length > 0)
    throw new Error(`--${flag}: unknown ${bad.join(', ')}; allowed: ${allowed.join(', ')}`);
  return list.filter(is);
}

const isStrategy = (name: string): name is StrategyName =>
  STRATEGY_NAMES.some((strategy) => strategy === name);

async function main(): Promise<void> {
  const budgets = counts('budgets', values.budgets ?? size?.budgets ?? '100,300,1000');
  const [seeds = 3] = counts('seeds', values.seeds ?? size?.seeds ?? '3');
  const [jobs = 1] = counts('jobs', values.jobs);
  const [inFlight = 8] = counts('in-flight', values['in-flight']);
  const landscapes: LandscapeName[] = names(
    'landscapes',
    values.landscapes ?? size?.landscapes ?? LANDSCAPE_NAMES.join(','),
    LANDSCAPE_NAMES,
    isLandscapeName,
  );
  const strategies = names(
    'strategies',
    values.strategies ?? size?.strategies ?? STRATEGY_NAMES.join(','),
    STRATEGY_NAMES,
    isStrategy,
  );
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'cellsearch-bench-search-'));
  mkdirSync(out, { recursive: true });
  process.stderr.write(
    `bench:search: ${strategies.length} strategies x ${landscapes.length} landscapes x ${seeds} seeds, ` +
      `${Math.max(...budgets)} trials each (${inFlight} in flight), ${jobs} searches at once; output in ${out}\n`,
  );
  const report = await runBench({
    strategies,
    landscapes,
    seeds,
    budgets,
    jobs,
    inFlight,
    runsDir: join(out, 'runs'),
    onSearch: (o) =>
      process.stderr.write(
        `  ${o.landscape} ${o.strategy} seed ${o.seed}: ${(o.curve.at(-1) ?? 0).toFixed(3)} of the optimum after ${o.curve.length} trials (${o.seconds.toFixed(1)} s)\n`,
      ),
  });
  const table = formatBenchTable(report.cells, budgets);
  process.stdout.write(
    `best cell found / landscape optimum (mean, min-max over seeds)\n${table}\n`,
  );
  const landscapesUsed = Object.fromEntries(
    landscapes.map((name) => [name, LANDSCAPES[name].description]),
  );
  const json = { budgets, seeds, strategies, landscapes: landscapesUsed, cells: report.cells };
  writeFileSync(join(out, 'results.json'), JSON.stringify(json, null, 2) + '\n');
  for (const landscape of landscapes)
    writeFileSync(join(out, `${landscape}.svg`), renderLandscapeChart(landscape, report.outcomes));
  process.stdout.write(
    `results.json and ${landscapes.map((l) => `${l}.svg`).join(', ')} in ${out}\n`,
  );
  const margin = values['beat-random'] ?? size?.beatRandom;
  if (margin !== undefined) checkBeatsRandom(report.cells, Math.max(...budgets), margin);
}

/** Fails the run unless every strategy beats random search by `text` at `budget` trials. */
function checkBeatsRandom(cells: readonly BenchCell[], budget: number, text: string): void {
  const margin = Number(text);
  if (!Number.isFinite(margin) || margin < 0)
    throw new Error(`--beat-random ${text}: expected a fraction of the optimum, 0 or more`);
  const failures = shortOfRandom(cells, budget, margin);
  if (failures.length > 0) throw new Error(describeFailures(failures, budget, margin));
  process.stdout.write(
    `every strategy beat random search by at least ${margin} of the optimum after ${budget} trials\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:search: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
