import { describe, expect, it } from 'vitest';
import { comparableSettings, settingsDiff } from '../../controller/reports/settings-diff.ts';
import { testConfig } from '../fixtures/run-store-fixtures.ts';

/** The stored config of `testConfig(strategy)` with `training` and `network` changes. */
function config(
  strategy: string,
  changes: { training?: Record<string, unknown>; network?: Record<string, unknown> } = {},
): ReturnType<typeof testConfig> {
  const base = testConfig(strategy, 5);
  const part = (key: string): object => {
    const value = base.settings[key];
    return typeof value === 'object' && value !== null ? value : {};
  };
  return {
    ...base,
    settings: {
      ...base.settings,
      training: { ...part('training'), ...changes.training },
      network: { ...part('network'), ...changes.network },
    },
  };
}

describe('settingsDiff', () => {
  it('names each differing setting with every run’s value, in the runs’ order', () => {
    const runs = [
      config('rl', { training: { epochs: 2, stepsPerEpoch: 30 } }),
      config('random', { training: { epochs: 1, stepsPerEpoch: 5 } }),
      config('evolution', { training: { epochs: 1, stepsPerEpoch: 30 }, network: { cells: 2 } }),
    ].map((c, i) => comparableSettings(c, `run ${i}`));
    expect(settingsDiff(runs)).toEqual([
      { key: 'network.cells', values: ['1', '1', '2'] },
      { key: 'training.epochs', values: ['2', '1', '1'] },
      { key: 'training.stepsPerEpoch', values: ['30', '5', '30'] },
    ]);
  });

  it('ignores the strategy, the budget and the training seed', () => {
    const a = config('rl', { training: { seed: 1 } });
    const b = { ...config('random', { training: { seed: 2 } }) };
    const c = { ...b, settings: { ...b.settings, maxTrials: 7, snapshotEvery: 3 } };
    expect(settingsDiff([comparableSettings(a, 'a'), comparableSettings(c, 'c')])).toEqual([]);
  });

  it('fills the defaults a run written before a setting existed lacks', () => {
    const full = config('rl');
    const older = Object.fromEntries(
      Object.entries(full.settings).filter(([key]) => key !== 'medianStop'),
    );
    const diff = settingsDiff([
      comparableSettings(full, 'full'),
      comparableSettings({ ...full, settings: older }, 'older'),
    ]);
    expect(diff).toEqual([]);
  });

  it('says nothing for fewer than two runs', () => {
    expect(settingsDiff([])).toEqual([]);
    expect(settingsDiff([comparableSettings(config('rl'), 'one')])).toEqual([]);
  });
});

describe('comparableSettings with the budget', () => {
  it('adds maxTrials when asked', () => {
    const a = config('rl');
    const b = { ...a, settings: { ...a.settings, maxTrials: 7 } };
    const budgeted = [a, b].map((c) => comparableSettings(c, 'run', { withBudget: true }));
    expect(settingsDiff(budgeted)).toEqual([{ key: 'maxTrials', values: ['100', '7'] }]);
  });
});
