/**
 * Fuzzing the command-line parsers with arbitrary text: each flag's value is either parsed or
 * refused with a one-line error naming the flag (commander's InvalidArgumentError, or the settings
 * errors with their paths); never a TypeError or RangeError. Parsers run through commander itself,
 * as nas-ctl runs them.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { InvalidValueError } from '../../shared/errors.ts';
import { parseNetworkSize } from '../../shared/network-settings.ts';
import { parseDuration } from '../../controller/cli/duration.ts';
import { numberOrText } from '../../controller/cli/flag-values.ts';
import {
  nonNegativeInt,
  oneOf,
  positiveInt,
  searchSpaceOption,
} from '../../controller/cli/options.ts';

const RUNS = { numRuns: 300, interruptAfterTimeLimit: 5_000 };

/** Flag text: anything, and near misses of what each parser takes. */
const textArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.stringMatching(/^[ +-]?\d{0,25}(\.\d*)?(e[+-]?\d{1,4})?[smh@ ]?\d{0,6}$/),
  fc.stringMatching(/^(\d{1,12}[smh]){1,4}$/),
  fc.constantFrom('', ' ', 'null', 'NaN', 'Infinity', '-0', '0x10', '1e309', '9007199254740993'),
);

/** Runs `parser` on `text` as the value of `--some-flag`, the way commander does. */
function viaCommander(parser: (text: string) => unknown, text: string): unknown {
  const command = new Command()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .option('--some-flag <value>', 'a flag', parser);
  try {
    command.parse(['--some-flag', text], { from: 'user' });
  } catch (err) {
    expect(err).toBeInstanceOf(CommanderError);
    if (!(err instanceof CommanderError)) return undefined;
    expect(err.code).toBe('commander.invalidArgument');
    expect(err.message).toContain('--some-flag');
    expect(err.message.split('\n').length).toBe(1);
    return undefined;
  }
  return command.opts()['someFlag'];
}

describe('flag parsers (fuzz)', () => {
  it.each([
    ['positiveInt', positiveInt, (v: unknown) => Number.isSafeInteger(v) && Number(v) > 0],
    ['nonNegativeInt', nonNegativeInt, (v: unknown) => Number.isSafeInteger(v) && Number(v) >= 0],
    ['searchSpaceOption', searchSpaceOption, (v: unknown) => typeof v === 'object'],
    ['oneOf', oneOf(['cifar', 'imagenet']), (v: unknown) => v === 'cifar' || v === 'imagenet'],
    [
      'numberOrText',
      numberOrText,
      (v: unknown) => v === null || typeof v === 'string' || Number.isFinite(v),
    ],
  ] as const)('%s parses a value or refuses it naming the flag', (_, parser, valid) => {
    fc.assert(
      fc.property(textArb, (text) => {
        const value = viaCommander(parser, text);
        if (value !== undefined) expect(valid(value)).toBe(true);
      }),
      RUNS,
    );
  });

  it('parseDuration gives a delay a timer can wait, or an InvalidArgumentError naming --time', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        try {
          const ms = parseDuration(text);
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(ms).toBeLessThanOrEqual(2 ** 31 - 1);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidArgumentError);
          expect(String(err)).toContain('--time');
        }
      }),
      RUNS,
    );
  });

  it.each([
    ['parseNetworkSize', parseNetworkSize],
    ['parseDatasetSpec', parseDatasetSpec],
  ] as const)('%s parses a value or lists its problems', (_, parse) => {
    fc.assert(
      fc.property(textArb, (text) => {
        try {
          parse(text);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidValueError);
          if (err instanceof InvalidValueError) expect(err.violations.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });
});

describe('flag values found by fuzzing', () => {
  it('refuses a --time past what a timer can wait, which fired at once and ended the search', () => {
    // 600h is 2.16e9 ms, past 2^31 - 1: setTimeout fires after 1 ms instead.
    expect(() => parseDuration('600h')).toThrow(
      new InvalidArgumentError('--time: expected a duration of at most 596h, got "600h"'),
    );
    expect(parseDuration('596h')).toBe(596 * 3_600_000);
  });
});
