import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DATASET_SPEC_FORMS,
  formatDatasetSpec,
  parseDatasetSpec,
  type DatasetSpec,
} from '../../trainer/data/dataset-spec.ts';
import { InvalidDatasetSpecError } from '../../trainer/data/errors.ts';

describe('parseDatasetSpec', () => {
  it('fills in defaults and resolves folders', () => {
    expect(parseDatasetSpec('synthetic')).toEqual({
      kind: 'synthetic',
      classes: 10,
      size: 32,
      train: 5000,
      test: 1000,
      seed: 0,
    });
    expect(parseDatasetSpec('synthetic:classes=4,seed=9,test=0')).toMatchObject({
      classes: 4,
      seed: 9,
      test: 0,
    });
    expect(parseDatasetSpec('cifar10:data/cifar-10-batches-bin')).toEqual({
      kind: 'cifar10',
      dir: resolve('data/cifar-10-batches-bin'),
    });
    expect(parseDatasetSpec('cifar100:/d,labels=coarse')).toEqual({
      kind: 'cifar100',
      dir: '/d',
      labels: 'coarse',
    });
    expect(parseDatasetSpec('fashion-mnist:/usr/share/x')).toEqual({
      kind: 'fashion-mnist',
      dir: '/usr/share/x',
    });
    expect(parseDatasetSpec(' folder:/a,b/c,size=64 ')).toEqual({
      kind: 'folder',
      dir: '/a,b/c',
      size: 64,
    });
  });

  it('lists the allowed forms for an unknown kind', () => {
    expect(() => parseDatasetSpec('imagenet:/data')).toThrow(InvalidDatasetSpecError);
    expect(() => parseDatasetSpec('imagenet:/data')).toThrow(
      'unknown dataset kind "imagenet"; allowed: synthetic[:classes=N,size=N,train=N,test=N,seed=N], ' +
        'cifar10:<dir>, cifar100:<dir>[,labels=fine|coarse], mnist:<dir>, fashion-mnist:<dir>, folder:<dir>[,size=N]',
    );
    expect(DATASET_SPEC_FORMS).toHaveLength(6);
  });

  it('reports every bad option with its name', () => {
    let caught: unknown;
    try {
      parseDatasetSpec('synthetic:classes=1,size=big,color=red,seed=1,seed=2');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidDatasetSpecError);
    const violations = caught instanceof InvalidDatasetSpecError ? caught.violations : [];
    expect(violations.map((v) => v.path)).toEqual(['classes', 'size', 'color', 'seed']);
    expect(violations[0]?.message).toBe('classes "1" is not an integer in 2..1000');
    expect(() => parseDatasetSpec('cifar10:')).toThrow('cifar10 needs a folder: cifar10:<dir>');
    expect(() => parseDatasetSpec('cifar10:/d,size=3')).toThrow(
      'unknown option "size=3" for cifar10; cifar10 takes no options',
    );
    expect(() => parseDatasetSpec('cifar100:/d,labels=medium')).toThrow(
      'labels "medium" is not allowed; allowed: fine, coarse',
    );
  });
});

const specs: fc.Arbitrary<DatasetSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('synthetic' as const),
    classes: fc.integer({ min: 2, max: 1000 }),
    size: fc.integer({ min: 8, max: 512 }),
    train: fc.integer({ min: 1, max: 1_000_000 }),
    test: fc.integer({ min: 0, max: 1_000_000 }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  }),
  fc.record({
    kind: fc.constantFrom('cifar10' as const, 'mnist' as const, 'fashion-mnist' as const),
    dir: fc.constant('/data/x'),
  }),
  fc.record({
    kind: fc.constant('cifar100' as const),
    dir: fc.constant('/c,d'),
    labels: fc.constantFrom('fine' as const, 'coarse' as const),
  }),
  fc.record({
    kind: fc.constant('folder' as const),
    dir: fc.constant('/img'),
    size: fc.integer({ min: 1, max: 1024 }),
  }),
);

describe('formatDatasetSpec', () => {
  it('round-trips through parseDatasetSpec', () => {
    fc.assert(
      fc.property(specs, (spec) => {
        expect(parseDatasetSpec(formatDatasetSpec(spec))).toEqual(spec);
      }),
    );
  });

  it('gives one key for equivalent spellings', () => {
    const a = formatDatasetSpec(parseDatasetSpec('synthetic:seed=0'));
    expect(a).toBe(formatDatasetSpec(parseDatasetSpec('synthetic')));
    expect(a).toBe('synthetic:classes=10,size=32,train=5000,test=1000,seed=0');
  });
});
