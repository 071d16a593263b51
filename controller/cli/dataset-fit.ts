/**
 * Training flags checked against the dataset they train on, before a trainer starts: the cutout
 * square must fit in an image and the validation split must leave training examples. The dataset
 * spec tells the image size of every kind and the training split's size of all but image folders;
 * for those the trainer checks the split when it has read the folder (and says so, naming both).
 */
import { formatDatasetSpec, type DatasetSpec } from '../../shared/dataset-spec.ts';
import { datasetFacts } from '../../shared/dataset-facts.ts';
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import type { TrainingSettings } from '../../shared/training-settings.ts';

/** How the training is used: a search scores every candidate on its validation split. */
export type TrainingUse = 'train' | 'search';

/**
 * Throws InvalidValueError naming `--cutout` or `--validation-size` when the settings do not fit
 * `dataset`; for a search, a validation split of 0 is refused too (the reward is its accuracy).
 */
export function checkTrainingFitsDataset(
  training: TrainingSettings,
  dataset: DatasetSpec,
  use: TrainingUse,
): void {
  const { image, trainCount } = datasetFacts(dataset);
  const side = Math.min(image.height, image.width);
  const violations: Violation[] = [];
  if (training.cutout > side) {
    const message = `${training.cutout} is larger than the dataset's ${image.height}x${image.width} images; allowed: 0 (off) to ${side}`;
    violations.push({ path: '--cutout', message });
  }
  const size = training.validationSize;
  if (use === 'search' && size === 0) {
    const message =
      'a search scores each candidate by its validation accuracy, so it needs a validation split; allowed: 1 or more';
    violations.push({ path: '--validation-size', message });
  }
  if (trainCount !== null && size >= trainCount) {
    const message = `${size} leaves no training example of the ${trainCount} in the training split; allowed: ${use === 'search' ? 1 : 0} to ${trainCount - 1}`;
    violations.push({ path: '--validation-size', message });
  }
  if (violations.length > 0) {
    throw new InvalidValueError(
      `training settings for dataset ${formatDatasetSpec(dataset)}`,
      violations,
    );
  }
}
