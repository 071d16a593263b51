import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { encodeSearchSettings, parseSearchSettings } from '../../shared/search-settings.ts';
import { defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { InvalidValueError } from '../../shared/errors.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';

const STORED = {
  strategy: defaultStrategyConfig('evolution', 3),
  maxTrials: 40,
  dataset: 'synthetic',
  network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
  training: DEFAULT_TRAINING,
  rewardEpochs: 5,
  reuseDuplicates: true,
  maxAttempts: 3,
  snapshotEvery: 20,
  medianStop: { minTrials: 5 },
};

/** The settings round-tripped through JSON, as the run store keeps them. */
const stored = (patch: Record<string, unknown> = {}): unknown =>
  JSON.parse(JSON.stringify({ ...STORED, ...patch }));

describe('stored search settings', () => {
  it('read back what was written', () => {
    const parsed = parseSearchSettings(stored(), 'runs/a');
    expect(parsed).toEqual({ ...STORED, dataset: parseDatasetSpec('synthetic') });
    const again = JSON.parse(JSON.stringify(encodeSearchSettings(parsed))) as unknown;
    expect(parseSearchSettings(again, 'runs/a')).toEqual(parsed);
  });

  it('give runs written before an option existed its default', () => {
    const older = stored() as Record<string, unknown> & { strategy: Record<string, unknown> };
    delete older.medianStop;
    delete older.strategy.sample;
    const parsed = parseSearchSettings(older, 'x');
    expect(parsed.medianStop).toBeNull();
    expect(parsed.strategy).toEqual(defaultStrategyConfig('evolution', 3));
  });

  it('list every problem with its path and the run', () => {
    const bad = stored({
      maxTrials: 0,
      network: { cells: 1, filters: 48, skeleton: 'mobile', auxHead: false },
      strategy: { name: 'rl', seed: 1, lstmUnits: -4 },
    });
    let caught: unknown;
    try {
      parseSearchSettings(bad, 'runs/b');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidValueError);
    const message = (caught as Error).message;
    expect(message).toContain('search settings of runs/b');
    expect(message).toContain('maxTrials');
    expect(message).toContain('network.skeleton');
    // Shape problems are reported first; range problems of the strategy once the shape is right.
    const rl = stored({ strategy: { name: 'rl', seed: 1, lstmUnits: -4 } });
    expect(() => parseSearchSettings(rl, 'runs/c')).toThrow(/strategy\.lstmUnits/);
    expect(() => parseSearchSettings(stored({ training: { epochs: 0 } }), 'r')).toThrow(
      /training\.epochs/,
    );
  });
});
