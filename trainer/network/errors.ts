/**
 * Errors of saving and loading networks. Each names the file at fault and what is wrong with it,
 * so a user can tell a missing file from a truncated one or from weights of another network.
 */
import { CellsearchError } from '../../shared/errors.ts';

/** Base of every error about a saved network's files; `file` is the path as it was opened. */
export class NetworkFileError extends CellsearchError {
  constructor(
    code: string,
    readonly file: string,
    problem: string,
  ) {
    super(code, `${file}: ${problem}`);
  }
}

/** A file of a saved network is not there. */
export class MissingNetworkFileError extends NetworkFileError {
  constructor(file: string, what: string) {
    super('NETWORK_FILE_MISSING', file, `missing ${what}`);
  }
}

/** A file that cannot be read as what it should be: bad JSON, wrong format, wrong size. */
export class CorruptNetworkFileError extends NetworkFileError {
  constructor(file: string, problem: string) {
    super('NETWORK_FILE_CORRUPT', file, problem);
  }
}

/** Saved weights that do not fit the network rebuilt from the saved genotype and settings. */
export class NetworkWeightsMismatchError extends NetworkFileError {
  constructor(file: string, problems: readonly string[]) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    super('NETWORK_WEIGHTS_MISMATCH', file, `weights do not fit the network: ${shown}${more}`);
  }
}
