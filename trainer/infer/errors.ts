/**
 * Errors of running a saved model on images: each names the image or dataset at fault, what it
 * is, and what the model takes.
 */
import { CellsearchError } from '../../shared/errors.ts';

/** An image file the model cannot be run on (unreadable, or with the wrong channels). */
export class ImageInputError extends CellsearchError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super('IMAGE_INPUT', `${file}: ${problem}`);
  }
}

/** A dataset whose images or classes do not fit the model. */
export class DatasetModelMismatchError extends CellsearchError {
  constructor(dataset: string, problem: string) {
    super('DATASET_MODEL_MISMATCH', `dataset ${dataset}: ${problem}`);
  }
}

/** A split with no images: nothing to predict or evaluate. */
export class EmptySplitError extends CellsearchError {
  /** `subject` names the split, e.g. `dataset mnist:/data: its test split`. */
  constructor(subject: string) {
    super('EMPTY_SPLIT', `${subject} has no images; choose another --split or --dataset`);
  }
}

/** No dataset to run on: none given, and the model records none (or a spec that does not parse). */
export class NoDatasetError extends CellsearchError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}
