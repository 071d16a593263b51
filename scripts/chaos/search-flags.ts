/** The settings of the campaign's searches: tiny real training on the wasm backend. */
import { attemptBudget } from './fault.ts';

/** Trials of a few seconds on a loaded 2-core machine: a search that is stopped mid-way. */
export const TINY_TRIALS: readonly string[] = [
  '--dataset',
  'synthetic:classes=2,size=8,train=32,test=8',
  '--size',
  '1@24',
  '--epochs',
  '1',
  '--steps-per-epoch',
  '4',
  '--batch-size',
  '8',
  '--validation-size',
  '8',
];

/** Trials of 10-20 s: long enough to freeze or kill the trainer under one mid-way. */
export const LONG_TRIALS: readonly string[] = TINY_TRIALS.map((arg, i) =>
  TINY_TRIALS[i - 1] === '--steps-per-epoch' ? '24' : arg,
);

/** {@link LONG_TRIALS}, with twice the steps for each missed attempt before (`attempt`). */
export function longTrials(attempt: number): string[] {
  return LONG_TRIALS.map((arg, i) =>
    LONG_TRIALS[i - 1] === '--steps-per-epoch' ? String(attemptBudget(Number(arg), attempt)) : arg,
  );
}

/** The strategies the rounds take in turn. */
export const STRATEGIES = ['random', 'evolution', 'rl'] as const;
