/**
 * `nas-ctl export <run-dir>`: a run's best genotypes as files with a summary (`--top K --out DIR`),
 * and/or every trial as CSV (`--trials-csv FILE`, `-` for stdout).
 */
import { writeOutputFile } from '../../runtime/output-file.ts';
import { Option, type Command } from 'commander';

import { join } from 'node:path';
import { formatPercent } from '../../shared/percent.ts';
import { SUMMARY_FILE, exportBest } from '../reports/export-best.ts';
import { readRun } from '../reports/read-run.ts';
import { trialsCsv } from '../reports/trials-csv.ts';
import type { RunStore } from '../store/index.ts';
import { exportWeights } from './export-weights.ts';
import { FlagConflictError } from './flag-values.ts';
import { positiveInt } from './options.ts';

interface ExportFlags {
  readonly top: number;
  readonly out?: string;
  readonly trialsCsv?: string;
  readonly weights: boolean;
  readonly backend: string;
}

/** Adds `export` to nas-ctl. */
export function registerExportCommand(program: Command): void {
  program
    .command('export <run-dir>')
    .description(
      'write the best genotypes of a search run as JSON files (for genotype validate and train --genotype), and/or every trial as CSV',
    )
    .option('--top <K>', 'how many genotypes', positiveInt, 5)
    .option('--out <dir>', 'directory to write rank-NN-<hash>.json and summary.json into')
    .option(
      '--trials-csv <file>',
      'write every trial as CSV (RFC 4180; accuracies as fractions, times ISO 8601) to this file, - for stdout',
    )
    .option(
      '--weights',
      "also a trained model per genotype (rank-NN-<hash>/, a TensorFlow.js LayersModel): a search keeps no weights, so each is trained again here, locally, with the run's stored network, training and dataset settings and seed (results can differ from the search's trials: another backend, machine or version trains differently; takes about as long as each trial did)",
      false,
    )
    .addOption(
      new Option('--backend <name>', 'tfjs backend for --weights')
        .choices(['auto', 'node-gpu', 'node', 'wasm', 'cpu'])
        .default('auto'),
    )
    .action(async (dir: string, flags: ExportFlags) => {
      if (flags.weights && flags.out === undefined) {
        throw new FlagConflictError('export --weights needs --out <dir> to save the models in');
      }
      if (flags.out === undefined && flags.trialsCsv === undefined) {
        throw new FlagConflictError(
          'export needs --out <dir> (the best genotypes) or --trials-csv <file|-> (every trial), or both',
        );
      }
      await readRun(dir, (store) => exportRun(store, flags));
      if (flags.weights && flags.out !== undefined) {
        // With the CSV on stdout, the retraining's progress goes to stderr, as the file list does.
        const viewsOnStderr = flags.trialsCsv === '-';
        const options = { top: flags.top, backend: flags.backend, json: false, viewsOnStderr };
        if ((await exportWeights(dir, flags.out, options)) > 0) process.exitCode = 1;
      }
    });
}

async function exportRun(store: RunStore, flags: ExportFlags): Promise<void> {
  // With the CSV on stdout, the list of written files goes to stderr.
  const list = flags.trialsCsv === '-' ? process.stderr : process.stdout;
  if (flags.trialsCsv !== undefined) {
    const csv = trialsCsv(store);
    if (flags.trialsCsv === '-') process.stdout.write(csv);
    else {
      await writeOutputFile(flags.trialsCsv, csv);
      list.write(`${flags.trialsCsv}\n`);
    }
  }
  if (flags.out === undefined) return;
  const summary = await exportBest(store, flags.top, flags.out);
  for (const g of summary.genotypes) {
    list.write(`${join(flags.out, g.file)}  reward ${formatPercent(g.reward)}\n`);
  }
  list.write(`${join(flags.out, SUMMARY_FILE)}\n`);
}
