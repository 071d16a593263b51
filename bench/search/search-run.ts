/**
 * One benchmark search: a real `nas-ctl search` process against a landscape trainer process, and
 * its best-found curve read back from the run store.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SearchSpace } from '../../shared/search-space.ts';
import type { StrategyName } from '../../shared/strategy-config.ts';
import { readBestFound } from './best-found.ts';
import { LANDSCAPES, type LandscapeName } from './landscapes.ts';
import { startLandscapeTrainerProcess } from './landscape-trainer-process.ts';

const NAS_CTL = fileURLToPath(new URL('../../bin/nas-ctl.js', import.meta.url));
const run = promisify(execFile);

/**
 * Trial settings the landscape trainer ignores but the controller checks: the smallest synthetic
 * dataset and network, one epoch (the reward is that epoch's validation accuracy).
 */
const TRIAL_FLAGS: readonly string[] = [
  ...['--dataset', 'synthetic:classes=2,size=8,train=32,test=8', '--size', '1@24'],
  ...['--epochs', '1', '--steps-per-epoch', '1', '--batch-size', '8', '--validation-size', '8'],
];

/** Which search to run. */
export interface SearchJob {
  readonly strategy: StrategyName;
  readonly landscape: LandscapeName;
  readonly seed: number;
  readonly trials: number;
  /** Trials at once: the capacity of the search's one trainer. */
  readonly inFlight: number;
  /** A space of `SEARCH_SPACES` (the trainer process finds it by name). */
  readonly space: SearchSpace;
}

/** A finished search: its best-found curve (fractions of the optimum, by finish order) and time. */
export interface SearchOutcome extends SearchJob {
  readonly curve: readonly number[];
  readonly seconds: number;
}

/**
 * Runs `job` with its run directory under `runsDir`: the landscape of the job's seed on a trainer
 * process of its own (so a noisy landscape's noise depends on nothing but this search), and the
 * strategy seeded with the same seed.
 */
export async function runSearchJob(job: SearchJob, runsDir: string): Promise<SearchOutcome> {
  const { strategy, landscape, seed, trials, inFlight, space } = job;
  const runDir = join(runsDir, `${landscape}-${strategy}-seed${seed}`);
  const trainer = await startLandscapeTrainerProcess(landscape, seed, space.name, inFlight);
  const started = performance.now();
  try {
    await run(
      process.execPath,
      [
        ...[NAS_CTL, 'search', '--trainers', trainer.address, '--strategy', strategy],
        ...['--seed', String(seed), '--trials', String(trials), '--space', space.name],
        ...['--run-dir', runDir, '--progress', 'none', ...TRIAL_FLAGS],
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (err) {
    const stderr = err instanceof Error && 'stderr' in err ? String(err.stderr).trim() : '';
    throw new Error(`nas-ctl search (${landscape}, ${strategy}, seed ${seed}) failed: ${stderr}`, {
      cause: err,
    });
  } finally {
    await trainer.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const curve = await readBestFound(runDir, LANDSCAPES[landscape].create(space, seed));
  return { ...job, curve, seconds };
}
