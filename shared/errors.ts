/** The error base shared by every cellsearch module, with a stable machine-readable `code`. */

/** Base of every cellsearch error: `code` is stable across releases; `message` is for people. */
export class CellsearchError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One thing wrong with an input value: where (a JSON-ish path) and what. */
export interface Violation {
  /** Where, e.g. `normal.blocks[1].opA`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** A value that failed to parse: carries every violation found, not just the first. */
export class InvalidValueError extends CellsearchError {
  constructor(
    readonly what: string,
    readonly violations: readonly Violation[],
  ) {
    super(
      'INVALID_ARGUMENT',
      `invalid ${what} (${violations.length} problem${violations.length === 1 ? '' : 's'}):\n` +
        violations.map((v) => `  - ${v.path === '' ? '(root)' : v.path}: ${v.message}`).join('\n'),
    );
  }
}

/** A genotype that does not parse against its search space. */
export class InvalidGenotypeError extends InvalidValueError {
  constructor(violations: readonly Violation[]) {
    super('genotype', violations);
  }
}

/** A request that the genotype code cannot serve as asked (for example, a name that is not known). */
export class UnsupportedError extends CellsearchError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}
