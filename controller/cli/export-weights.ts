/**
 * `nas-ctl export --weights`: a search keeps no weights (its trainers free each network once it is
 * scored), so each exported genotype is trained again here, in a local `nas-trainer train`
 * process, with the run's stored network, training and dataset settings and its seed, and saved as
 * a TensorFlow.js LayersModel beside its genotype file. The same seed gives the same initial
 * weights and batches, but nothing guarantees the search's result: another backend, machine or
 * cellsearch version trains differently, so the retrained model's accuracy can differ from the
 * trial's.
 */
import { join } from 'node:path';
import { parseSearchSettings } from '../../shared/search-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { bestEntries, rankLabel } from '../reports/best-report.ts';
import { readRun } from '../reports/read-run.ts';
import { runLocalTrainer } from './local-trainer.ts';
import { prepareOutputDir } from './output-dir.ts';
import { resolveProgressMode } from './progress-mode.ts';

/** How to train the exported genotypes again. */
export interface ExportWeightsOptions {
  readonly top: number;
  readonly backend: string;
  readonly json: boolean;
  /** The training views write to stderr only (stdout carries the trials CSV). */
  readonly viewsOnStderr: boolean;
}

/** One exported trial to train again: where its model goes and what it was trained with. */
interface Retraining {
  readonly trialId: number;
  readonly out: string;
  readonly request: TrialRequest;
}

/**
 * Trains the `top` best genotypes of the run in `runDir` again with the run's settings, each into
 * `outDir/rank-NN-<hash>/` (beside `rank-NN-<hash>.json`); returns how many did not succeed.
 */
export async function exportWeights(
  runDir: string,
  outDir: string,
  options: ExportWeightsOptions,
): Promise<number> {
  const jobs = await readRun(runDir, (store): Retraining[] => {
    const settings = parseSearchSettings(store.config().settings, store.dir);
    const entries = bestEntries(store, options.top);
    return entries.map((e) => ({
      trialId: e.trialId,
      out: join(outDir, `rank-${rankLabel(e.rank, entries.length)}-${e.hash}`),
      request: {
        genotype: e.genotype,
        network: settings.network,
        training: settings.training,
        dataset: settings.dataset,
      },
    }));
  });
  let failed = 0;
  for (const job of jobs) {
    prepareOutputDir(job.out, '--out');
    process.stderr.write(`nas-ctl: training trial ${job.trialId} again into ${job.out}\n`);
    const { backend, json } = options;
    const progress = resolveProgressMode('auto', process.stderr.isTTY === true);
    const streams = options.viewsOnStderr
      ? { out: process.stderr, err: process.stderr }
      : undefined;
    const result = await runLocalTrainer(job.request, {
      backend,
      out: job.out,
      json,
      progress,
      ...(streams === undefined ? {} : { streams }),
    });
    if (result.status !== 'succeeded') failed++;
  }
  return failed;
}
