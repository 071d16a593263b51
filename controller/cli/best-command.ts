/** `nas-ctl best <run-dir>`: a run's top trials by reward, as a table with cells, JSON or DOT. */
import { Option, type Command } from 'commander';
import { bestDot, bestEntries, bestJson, formatBest } from '../reports/best-report.ts';
import { readRun } from '../reports/read-run.ts';
import { positiveInt } from './options.ts';

interface BestFlags {
  readonly top: number;
  readonly json?: boolean;
  readonly dot?: boolean;
}

/** Adds `best` to nas-ctl. */
export function registerBestCommand(program: Command): void {
  program
    .command('best <run-dir>')
    .description('show the best trials of a search run (one per genotype) with their cells')
    .option('--top <K>', 'how many trials', positiveInt, 5)
    .addOption(
      new Option('--json', 'print the genotypes as JSON with their metadata').conflicts('dot'),
    )
    .option('--dot', 'print the genotypes as Graphviz DOT')
    .action(async (dir: string, flags: BestFlags) => {
      const text = await readRun(dir, (store) => {
        const entries = bestEntries(store, flags.top);
        if (flags.dot === true) return bestDot(entries);
        if (flags.json !== true) return formatBest(entries, dir);
        const { strategy, seed, space } = store.config();
        return bestJson(entries, { run: dir, strategy, seed, space: space.name });
      });
      process.stdout.write(text);
    });
}
