/**
 * Errors of the trainer's data layer. Each names the file at fault and what is wrong with
 * it, so a user can fix the dataset without reading a stack trace.
 */
import { CellsearchError } from '../../shared/errors.ts';

/** Base of every error about a dataset file; `file` is the path as the reader opened it. */
export class DatasetFileError extends CellsearchError {
  constructor(
    code: string,
    readonly file: string,
    /** What is wrong, without the file's name (for callers that name the file their own way). */
    readonly problem: string,
  ) {
    super(code, `${file}: ${problem}`);
  }
}

/** A file (or folder) that a dataset needs is not there. */
export class MissingDatasetFileError extends DatasetFileError {
  constructor(file: string, what: string) {
    super('DATASET_FILE_MISSING', file, `missing ${what}`);
  }
}

/** A file whose size does not fit its format: truncated, padded or of the wrong kind. */
export class DatasetFileSizeError extends DatasetFileError {
  constructor(file: string, problem: string) {
    super('DATASET_FILE_SIZE', file, problem);
  }
}

/**
 * A dataset path that is not a regular file: a FIFO (whose reading would wait for a writer), a
 * device such as /dev/zero (which streams without end), a socket or a folder. `kind` says which.
 */
export class NotRegularDatasetFileError extends DatasetFileError {
  constructor(file: string, kind: string) {
    super(
      'DATASET_NOT_REGULAR_FILE',
      file,
      `${kind}, not a regular file; only regular files (or links to them) are read`,
    );
  }
}

/** A dataset file that is (or links to) a file outside the trainer's data root. */
export class DatasetLinkOutsideRootError extends DatasetFileError {
  constructor(file: string, root: string) {
    // The link's target is not named: a caller learns nothing about the files outside the root.
    super(
      'DATASET_LINK_OUTSIDE_ROOT',
      file,
      `resolves to a file outside this trainer's data root ${root}; allowed: files under it`,
    );
  }
}

/** A dataset whose reading would hold more bytes at once than the reader's memory limit. */
export class DatasetTooLargeError extends DatasetFileError {
  constructor(file: string, problem: string) {
    super('DATASET_TOO_LARGE', file, problem);
  }
}

/** A file whose header does not start with the magic number its format requires. */
export class BadMagicError extends DatasetFileError {
  constructor(file: string, found: number, expected: number) {
    const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
    super('DATASET_BAD_MAGIC', file, `bad magic number ${hex(found)}; expected ${hex(expected)}`);
  }
}

/** A file that cannot be decoded at all (a broken gzip stream or image, for example). */
export class CorruptDatasetFileError extends DatasetFileError {
  constructor(file: string, detail: string) {
    super('DATASET_FILE_CORRUPT', file, `cannot be decoded: ${detail}`);
  }
}

/** An images file and a labels file that hold different numbers of examples. */
export class DatasetCountMismatchError extends DatasetFileError {
  constructor(imagesFile: string, images: number, labelsFile: string, labels: number) {
    super(
      'DATASET_COUNT_MISMATCH',
      imagesFile,
      `holds ${images} images but ${labelsFile} holds ${labels} labels`,
    );
  }
}

/** A label that is not below the dataset's class count. */
export class LabelOutOfRangeError extends DatasetFileError {
  constructor(file: string, index: number, label: number, classCount: number) {
    super(
      'DATASET_LABEL_OUT_OF_RANGE',
      file,
      `label ${label} of example ${index} is out of range; allowed: 0..${classCount - 1}`,
    );
  }
}

/** A folder that holds no usable examples (no class subfolders, or no JPEG/PNG images in them). */
export class EmptyDatasetError extends DatasetFileError {
  constructor(folder: string, problem: string) {
    super('DATASET_EMPTY', folder, problem);
  }
}

/** A request to split a dataset that it cannot satisfy (for example, a validation split too large). */
export class InvalidSplitError extends CellsearchError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** A dataset folder outside the trainer's `--data-root` (gRPC PERMISSION_DENIED). */
export class DatasetOutsideRootError extends CellsearchError {
  constructor(
    readonly dir: string,
    readonly root: string,
  ) {
    super(
      'DATASET_OUTSIDE_ROOT',
      `dataset: folder ${dir} is outside this trainer's data root ${root}; allowed: folders under it (relative paths resolve there)`,
    );
  }
}
