/**
 * The curve the strategy benchmark scores a search by: after each finished trial (in finish order),
 * the noise-free value of the search's incumbent, the cell with the best reward so far, as a
 * fraction of the landscape's optimum. On a noise-free landscape that is the best value found; on
 * a noisy one it is what the cell a user would pick from the run is really worth.
 */
import { readRun } from '../../controller/reports/read-run.ts';
import { genotypeValue, type Landscape } from './landscape.ts';

/** The finished trials of a run as (reward, true value) pairs, in finish order. */
interface Scored {
  readonly reward: number | null;
  readonly value: number;
}

/** The incumbent's value / optimum after each scored trial (0 before the first success). */
export function incumbentCurve(trials: readonly Scored[], optimum: number): number[] {
  let bestReward = -Infinity;
  let fraction = 0;
  return trials.map(({ reward, value }) => {
    if (reward !== null && reward > bestReward) {
      bestReward = reward;
      fraction = value / optimum;
    }
    return fraction;
  });
}

/** {@link incumbentCurve} of the run in `runDir`, scored on `landscape`. */
export function readBestFound(runDir: string, landscape: Landscape): Promise<number[]> {
  return readRun(runDir, (store) => {
    const scored = store.finishedTrials().map((trial) => ({
      reward: trial.status === 'succeeded' ? trial.reward : null,
      value: genotypeValue(landscape, trial.genotype),
    }));
    return incumbentCurve(scored, landscape.optimum);
  });
}

/** The curve's value after `trials` trials (its last value when it is shorter; 0 when empty). */
export function bestAfter(curve: readonly number[], trials: number): number {
  return curve[Math.min(trials, curve.length) - 1] ?? 0;
}
