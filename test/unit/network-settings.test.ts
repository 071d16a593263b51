import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complexity } from '../../shared/complexity.ts';
import { InvalidValueError } from '../../shared/errors.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { planNetwork } from '../../shared/network-plan.ts';
import {
  formatNetworkSize,
  parseNetworkSettings,
  parseNetworkSize,
} from '../../shared/network-settings.ts';
import { CIFAR, MOBILE } from '../fixtures/nasnet-networks.ts';

/** One corrupted setting (with any other settings it needs) and the field the error must name. */
interface Corruption {
  readonly patch: Readonly<Record<string, unknown>>;
  readonly field: string;
}

function corrupt(
  field: string,
  values: fc.Arbitrary<unknown>,
  extra = {},
): fc.Arbitrary<Corruption> {
  return values.map((value) => ({ patch: { ...extra, [field]: value }, field }));
}

const corruptionArb: fc.Arbitrary<Corruption> = fc.oneof(
  corrupt('cells', fc.constantFrom(0, -1, 1.5, Number.NaN, '4', undefined)),
  corrupt(
    'filters',
    fc.integer({ min: 1, max: 2000 }).filter((f) => f % 24 !== 0),
  ),
  corrupt('filters', fc.constantFrom(0, 24, 48, 72), { skeleton: 'imagenet' }),
  corrupt('imageSize', fc.integer({ min: -2, max: 2 })),
  corrupt('imageSize', fc.integer({ min: 1, max: 18 }), { skeleton: 'imagenet' }),
  fc.integer({ min: 3, max: 8 }).map((imageSize) => ({
    patch: { imageSize, auxHead: true },
    field: 'auxHead', // the aux head needs 5x5 after the second stack: CIFAR images of 9 and up
  })),
  corrupt('classes', fc.constantFrom(0, 2.5, null)),
  corrupt('channels', fc.constantFrom(0, -3)),
  corrupt('skeleton', fc.constantFrom('resnet', 1, undefined)),
  corrupt('auxHead', fc.constantFrom('yes', 1, undefined)),
  corrupt('stemMultiplier', fc.constantFrom(0, -1, Infinity, 0.01)),
  corrupt('depth', fc.constant(3)),
);

function violationPaths(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidValueError) return err.violations.map((v) => v.path);
    throw err;
  }
  return [];
}

describe('settings validation', () => {
  it('rejects every corrupted setting with an InvalidValueError naming the field', () => {
    fc.assert(
      fc.property(corruptionArb, ({ patch, field }) => {
        const bad = { ...CIFAR, stemMultiplier: 3, ...patch };
        expect(violationPaths(() => parseNetworkSettings(bad))).toContain(field);
      }),
    );
  });

  it('makes planNetwork and complexity report every violation at once', () => {
    const bad = { ...CIFAR, cells: 0, filters: 100, imageSize: 2 };
    expect(violationPaths(() => complexity(NASNET_A, bad))).toEqual([
      'cells',
      'filters',
      'imageSize',
    ]);
    expect(violationPaths(() => planNetwork(NASNET_A, { ...MOBILE, filters: 72 }))).toEqual([
      'filters',
    ]);
  });

  it('accepts the smallest image sizes each skeleton allows', () => {
    expect(() => planNetwork(NASNET_A, { ...CIFAR, imageSize: 3 })).not.toThrow();
    expect(() => planNetwork(NASNET_A, { ...CIFAR, imageSize: 9, auxHead: true })).not.toThrow();
    expect(() => planNetwork(NASNET_A, { ...MOBILE, imageSize: 19 })).not.toThrow();
    expect(() => planNetwork(NASNET_A, { ...MOBILE, imageSize: 67, auxHead: true })).not.toThrow();
  });
});

describe('N@F sizes', () => {
  it('parses and formats', () => {
    expect(parseNetworkSize('4@1056')).toEqual({ cells: 4, filters: 1056 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 336 }), (n, k) => {
        const size = { cells: n, filters: 24 * k };
        expect(parseNetworkSize(formatNetworkSize(size))).toEqual(size);
      }),
    );
  });

  it('rejects a malformed size or one whose F is not a multiple of 24', () => {
    expect(violationPaths(() => parseNetworkSize('4@1000'))).toEqual(['filters']);
    expect(violationPaths(() => parseNetworkSize('0@768'))).toEqual(['cells']);
    expect(violationPaths(() => parseNetworkSize('6x768'))).toEqual(['']);
  });

  it('names a value that fails several checks of one wording once (8: below 24 and no multiple)', () => {
    expect(violationPaths(() => parseNetworkSize('1@8'))).toEqual(['filters']);
    expect(() => parseNetworkSize('1@8')).toThrow(
      /^invalid network size \(1 problem\):\n {2}- filters: /,
    );
  });

  it('rejects sizes beyond the bounds: N over 20, F over 8064', () => {
    expect(() => parseNetworkSize('1000@24')).toThrow(
      /cells: expected an integer in 1\.\.20 \(N: normal cells per stack\), got number 1000/,
    );
    expect(() => parseNetworkSize('6@1000008')).toThrow(
      /filters: expected a multiple of 24 in 24\.\.8064 .*got number 1000008/,
    );
    expect(parseNetworkSize('20@8064')).toEqual({ cells: 20, filters: 8064 });
  });
});
