/**
 * Training flags checked against the dataset they train on, before a trainer starts: the cutout
 * square must fit in an image and the validation split must leave training examples. The dataset
 * spec tells the image size of every kind and the training split's size of all but image folders;
 * for those the trainer checks the split when it has read the folder (and says so, naming both).
 * A default validation split that cannot work on the dataset is adapted; a given one is refused.
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

/** Settings after {@link fitValidationDefault}, and the one line that says what it changed (null: nothing). */
export interface FittedTraining {
  readonly training: TrainingSettings;
  readonly note: string | null;
}

/**
 * When `--validation-size` was not given and its default is more than a tenth of `dataset`'s
 * training split (the default is a tenth of CIFAR-10's 50000, the paper's 45000/5000 split), holds
 * out a tenth instead (and says so); an explicit value is left for
 * {@link checkTrainingFitsDataset} to refuse. A split too small for a tenth (a search needs at
 * least one validation example) is left alone and refused there too.
 */
export function fitValidationDefault(
  training: TrainingSettings,
  dataset: DatasetSpec,
  use: TrainingUse,
  given: boolean,
): FittedTraining {
  const { trainCount } = datasetFacts(dataset);
  const size = training.validationSize;
  if (given || trainCount === null) return { training, note: null };
  const tenth = Math.floor(trainCount / 10);
  if (size <= tenth || (use === 'search' && tenth === 0)) return { training, note: null };
  const note = `--validation-size not given: its default ${size} is more than a tenth of the ${trainCount} training examples in ${formatDatasetSpec(dataset)}, so ${tenth} (a tenth) are held out for validation`;
  return { training: { ...training, validationSize: tenth }, note };
}
