/** The reward of a finished trial: its best validation accuracy over the last epochs (NAS-RL's rule). */
import type { TrialResult } from '../../shared/trial.ts';

/** Epochs whose best validation accuracy is the reward by default (Zoph & Le 2017: the last 5). */
export const DEFAULT_REWARD_EPOCHS = 5;

/** Max validation accuracy of the last `lastEpochs` epochs; null for a trial that did not succeed or has none. */
export function rewardOf(result: TrialResult, lastEpochs = DEFAULT_REWARD_EPOCHS): number | null {
  if (result.status !== 'succeeded') return null;
  const accuracies = result.epochs
    .slice(-lastEpochs)
    .map((e) => e.validationAccuracy)
    .filter(Number.isFinite);
  return accuracies.length === 0 ? null : Math.max(...accuracies);
}
