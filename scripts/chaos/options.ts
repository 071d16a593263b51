/**
 * The campaign's command line: `--rounds N`, `--seed N`, `--quick`, `--faults a,b`. Bad input is
 * one {@link ChaosOptionError} naming the flag, the value and what is allowed.
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
] as const;

/** One fault's key on the command line. */
export type FaultKey = (typeof FAULT_KEYS)[number];

/** The validated options of one campaign. */
export interface ChaosOptions {
  /** Rounds of every fault: 3 by default (about 5-8 minutes on 2 cores), 1 with `--quick`. */
  readonly rounds: number;
  /** Seed of the random moments and strategies' seeds. */
  readonly seed: number;
  /** Trials of each stopped-and-resumed search: 6, or 4 with `--quick`. */
  readonly budget: number;
  readonly faults: readonly FaultKey[];
}

/** A bad command-line value. */
export class ChaosOptionError extends CellsearchError {
  constructor(flag: string, value: string, allowed: string) {
    super('INVALID_ARGUMENT', `${flag}: "${value}" is not allowed; expected ${allowed}`);
  }
}

/** The usage line printed for `--help`. */
export const USAGE =
  'usage: npm run chaos -- [--quick] [--rounds N] [--seed N] [--faults ' +
  `${FAULT_KEYS.join(',')}]`;

/** Parses the command line (without node and the script); throws {@link ChaosOptionError}. */
export function parseChaosOptions(argv: readonly string[]): ChaosOptions {
  const quick = argv.includes('--quick');
  let rounds = quick ? 1 : 3;
  let seed = 1;
  let faults: readonly FaultKey[] = FAULT_KEYS;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (flag === '--quick') continue;
    const value = argv[++i];
    if (value === undefined || !['--rounds', '--seed', '--faults'].includes(flag))
      throw new ChaosOptionError(
        flag,
        value ?? '',
        'one of --quick, --rounds N, --seed N, --faults a,b',
      );
    if (flag === '--rounds') rounds = positiveInt(flag, value, 1);
    else if (flag === '--seed') seed = positiveInt(flag, value, 0);
    else faults = faultKeys(value);
  }
  return { rounds, seed, budget: quick ? 4 : 6, faults };
}

function positiveInt(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
    throw new ChaosOptionError(flag, value, `an integer >= ${min}`);
  return n;
}

function faultKeys(value: string): FaultKey[] {
  const keys = value.split(',');
  const known = (key: string): key is FaultKey => FAULT_KEYS.some((k) => k === key);
  const bad = keys.find((key) => !known(key));
  if (bad !== undefined) throw new ChaosOptionError('--faults', bad, FAULT_KEYS.join(', '));
  return keys.filter(known);
}
