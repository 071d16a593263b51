/** `nas-ctl export <run-dir> --top K --out DIR`: a run's best genotypes as files, with a summary. */
import type { Command } from 'commander';
import { join } from 'node:path';
import { SUMMARY_FILE, exportBest } from '../reports/export-best.ts';
import { readRun } from '../reports/read-run.ts';
import { positiveInt } from './options.ts';

/** Adds `export` to nas-ctl. */
export function registerExportCommand(program: Command): void {
  program
    .command('export <run-dir>')
    .description(
      'write the best genotypes of a search run as JSON files (for genotype validate and train --genotype)',
    )
    .option('--top <K>', 'how many genotypes', positiveInt, 5)
    .requiredOption('--out <dir>', 'directory to write rank-NN-<hash>.json and summary.json into')
    .action(async (dir: string, flags: { top: number; out: string }) => {
      const summary = await readRun(dir, (store) => exportBest(store, flags.top, flags.out));
      for (const g of summary.genotypes) {
        process.stdout.write(`${join(flags.out, g.file)}  reward ${g.reward.toFixed(4)}\n`);
      }
      process.stdout.write(`${join(flags.out, SUMMARY_FILE)}\n`);
    });
}
