/**
 * The settings of a search as stored in its run directory, and the one parser that reads them back
 * on `--resume`: a typed value, or an InvalidValueError listing every problem with its path. A run
 * written before a strategy option existed gets that option's default.
 */
import { z } from 'zod';
import { InvalidValueError, type Violation } from '../../shared/errors.ts';
import { parseTrainingSettings, type TrainingSettings } from '../../shared/training-settings.ts';
import type { TrialNetwork } from '../../shared/trial.ts';
import {
  checkStrategyConfig,
  defaultStrategyConfig,
  type StrategyConfig,
  type StrategyName,
} from '../strategies/strategy.ts';
import type { MedianStopSettings } from './median-stopping.ts';

/** The settings of a search, stored in the run directory and read back on resume. */
export interface SearchSettings {
  readonly strategy: StrategyConfig;
  readonly maxTrials: number | null;
  readonly dataset: string;
  readonly network: TrialNetwork;
  readonly training: TrainingSettings;
  readonly rewardEpochs: number;
  readonly reuseDuplicates: boolean;
  readonly maxAttempts: number;
  readonly snapshotEvery: number;
  /** The median stopping rule's settings; null (or absent in runs made before it existed): off. */
  readonly medianStop?: MedianStopSettings | null;
}

const count = z.number().int().min(1);

const SETTINGS = z.object({
  strategy: z.looseObject({
    name: z.enum(['rl', 'evolution', 'random'] as const satisfies readonly StrategyName[]),
    seed: z.number().int(),
  }),
  maxTrials: count.nullable(),
  dataset: z.string().min(1),
  network: z.object({
    cells: count,
    filters: count,
    skeleton: z.enum(['cifar', 'imagenet']),
    auxHead: z.boolean(),
    stemMultiplier: z.number().positive().optional(),
  }),
  training: z.unknown(),
  rewardEpochs: count,
  reuseDuplicates: z.boolean(),
  maxAttempts: count,
  snapshotEvery: count,
  medianStop: z.object({ minTrials: count }).nullable().optional(),
});

/** Parses stored settings (`where` names them in the error, e.g. the run directory). */
export function parseSearchSettings(value: unknown, where: string): SearchSettings {
  const what = `search settings of ${where}`;
  const parsed = SETTINGS.safeParse(value);
  if (!parsed.success) {
    const violations: Violation[] = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    throw new InvalidValueError(what, violations);
  }
  const s = parsed.data;
  // The stored options over the defaults; checkStrategyConfig then range-checks every option.
  const strategy = {
    ...defaultStrategyConfig(s.strategy.name, s.strategy.seed),
    ...s.strategy,
  } as StrategyConfig;
  const { stemMultiplier, ...network } = s.network;
  const under = <T>(prefix: string, parse: () => T): T => {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof InvalidValueError)) throw err;
      const violations = err.violations.map((v) => ({ ...v, path: `${prefix}.${v.path}` }));
      throw new InvalidValueError(what, violations);
    }
  };
  under('strategy', () => checkStrategyConfig(strategy));
  return {
    ...s,
    strategy,
    network: stemMultiplier === undefined ? network : { ...network, stemMultiplier },
    training: under('training', () => parseTrainingSettings(s.training)),
    medianStop: s.medianStop ?? null,
  };
}
