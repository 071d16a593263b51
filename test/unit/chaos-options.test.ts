/** The chaos campaign's command line: defaults, the CI form, and every bad value named. */
import { describe, expect, it } from 'vitest';
import {
  ChaosOptionError,
  FAULT_KEYS,
  parseChaosOptions,
  USAGE,
} from '../../scripts/chaos/options.ts';

describe('parseChaosOptions', () => {
  it('runs every fault, 3 rounds of 6-trial searches, 3 retries of a missed round, by default', () => {
    expect(parseChaosOptions([])).toEqual({
      rounds: 3,
      seed: 1,
      budget: 6,
      retries: 3,
      faults: FAULT_KEYS,
    });
  });

  it('has the new faults: a hostile trainer, a second controller, a full disk', () => {
    expect(FAULT_KEYS).toEqual(
      expect.arrayContaining(['hostile-trainer', 'second-controller', 'disk-full']),
    );
    expect(parseChaosOptions(['--faults', 'disk-full,hostile-trainer']).faults).toEqual([
      'disk-full',
      'hostile-trainer',
    ]);
  });

  it('--quick is the CI form: one round of 4-trial searches; flags after it still apply', () => {
    expect(parseChaosOptions(['--quick'])).toMatchObject({ rounds: 1, budget: 4, retries: 3 });
    expect(parseChaosOptions(['--quick', '--retries', '1', '--budget', '5'])).toMatchObject({
      rounds: 1,
      budget: 5,
      retries: 1,
    });
  });

  it('takes --rounds, --seed, --budget and --retries', () => {
    const argv = ['--rounds', '10', '--seed', '7', '--budget', '8', '--retries', '0'];
    expect(parseChaosOptions(argv)).toMatchObject({ rounds: 10, seed: 7, budget: 8, retries: 0 });
  });

  it.each([
    [['--rounds', '0'], '--rounds: "0" is not allowed; expected an integer >= 1'],
    [['--budget', '2'], '--budget: "2" is not allowed; expected an integer >= 3'],
    [['--retries', '11'], '--retries: "11" is not allowed; expected an integer from 0 to 10'],
    [['--retries', '-1'], '--retries: "-1" is not allowed; expected an integer from 0 to 10'],
    [['--faults', 'kill-search,fire'], '--faults: "fire" is not allowed; expected kill-search'],
    [['--smoke'], '--smoke: "" is not allowed; expected one of --quick'],
  ])('refuses %j, naming the flag, the value and what is allowed', (argv, message) => {
    expect(() => parseChaosOptions(argv)).toThrow(ChaosOptionError);
    expect(() => parseChaosOptions(argv)).toThrow(message);
  });

  it('documents every flag and the exit status in its usage', () => {
    for (const flag of ['--quick', '--rounds', '--seed', '--budget', '--retries', '--faults'])
      expect(USAGE).toContain(flag);
    expect(USAGE).toMatch(/fewer times than asked/);
  });
});
