/**
 * The campaign's command line: `--rounds N`, `--seed N`, `--budget N`, `--retries N`, `--quick`,
 * `--faults a,b`. Bad input is one {@link ChaosOptionError} naming the flag, the value and what is
 * allowed.
 */
import { CellsearchError } from '../../shared/errors.ts';

/** The fault rows, in the order a round runs them. */
export const FAULT_KEYS = [
  'kill-search',
  'sigint-search',
  'freeze-trainer',
  'kill-trainer',
  'bad-trial',
  'info-latency',
  'hostile-trainer',
  'second-controller',
  'disk-full',
] as const;

/** One fault's key on the command line. */
export type FaultKey = (typeof FAULT_KEYS)[number];

/** The validated options of one campaign. */
export interface ChaosOptions {
  /** Rounds of every fault, each tried until injected: 3 by default, 1 with `--quick`. */
  readonly rounds: number;
  /** Seed of the random moments and strategies' seeds. */
  readonly seed: number;
  /**
   * Trials of the searches the faults stop, contend or fill (the hostile trainer's has 3 more):
   * 6, or 4 with `--quick`; doubled with each retry of a round.
   */
  readonly budget: number;
  /** Attempts after the first at a round whose fault could not be injected (default 3). */
  readonly retries: number;
  readonly faults: readonly FaultKey[];
}

/** A bad command-line value. */
export class ChaosOptionError extends CellsearchError {
  constructor(flag: string, value: string, allowed: string) {
    super('INVALID_ARGUMENT', `${flag}: "${value}" is not allowed; expected ${allowed}`);
  }
}

/** The usage text printed for `--help`. */
export const USAGE = [
  'usage: npm run chaos -- [--quick] [--rounds N] [--seed N] [--budget N] [--retries N]',
  `                        [--faults ${FAULT_KEYS.join(',')}]`,
  '  --quick      one round of each fault with 4-trial searches (the CI form, 2-4 minutes)',
  '  --rounds N   rounds of each fault (default 3; 1 with --quick)',
  '  --seed N     seed of the random moments and the searches (default 1)',
  '  --budget N   trials of the searches the faults stop, contend or fill, at least 3 (default 6;',
  '               4 with --quick; doubled with each retry of a round)',
  '  --retries N  more attempts at a round whose fault could not be injected (default 3, max 10)',
  '  --faults a,b the faults to run (default: all)',
  'Exit status: 0 when every fault was injected as often as asked and held; 1 when a round failed',
  'or a fault was injected fewer times than asked; 2 on a bad flag.',
].join('\n');

/** The bound on `--retries`: every loop of the campaign ends. */
export const MAX_RETRIES = 10;

const VALUE_FLAGS = ['--rounds', '--seed', '--budget', '--retries', '--faults'];

/** Parses the command line (without node and the script); throws {@link ChaosOptionError}. */
export function parseChaosOptions(argv: readonly string[]): ChaosOptions {
  const quick = argv.includes('--quick');
  const chosen: { -readonly [K in keyof ChaosOptions]: ChaosOptions[K] } = {
    rounds: quick ? 1 : 3,
    seed: 1,
    budget: quick ? 4 : 6,
    retries: 3,
    faults: FAULT_KEYS,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (flag === '--quick') continue;
    const value = argv[++i];
    if (value === undefined || !VALUE_FLAGS.includes(flag))
      throw new ChaosOptionError(
        flag,
        value ?? '',
        `one of --quick, ${VALUE_FLAGS.map((f) => `${f} <value>`).join(', ')}`,
      );
    if (flag === '--rounds') chosen.rounds = integer(flag, value, 1);
    else if (flag === '--seed') chosen.seed = integer(flag, value, 0);
    else if (flag === '--budget') chosen.budget = integer(flag, value, 3);
    else if (flag === '--retries') chosen.retries = integer(flag, value, 0, MAX_RETRIES);
    else chosen.faults = faultKeys(value);
  }
  return chosen;
}

function integer(flag: string, value: string, min: number, max?: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max))
    throw new ChaosOptionError(
      flag,
      value,
      max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`,
    );
  return n;
}

function faultKeys(value: string): FaultKey[] {
  const keys = value.split(',');
  const known = (key: string): key is FaultKey => FAULT_KEYS.some((k) => k === key);
  const bad = keys.find((key) => !known(key));
  if (bad !== undefined) throw new ChaosOptionError('--faults', bad, FAULT_KEYS.join(', '));
  return keys.filter(known);
}
