import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DATASET_KIND_TABLE,
  DATASET_SPEC_FORMS,
  DATASET_SPEC_SCHEMA,
  formatDatasetSpec,
  parseDatasetSpec,
} from '../../shared/dataset-spec.ts';
import { fields, parseWith } from '../../shared/schema.ts';
import { corruptSpecArb, datasetSpecArb, writtenAnySpecArb } from '../arbitraries/dataset-spec.ts';
import { violationsOf } from '../fixtures/violations-of.ts';

describe('parseDatasetSpec', () => {
  it('fills in defaults and keeps folders as written', () => {
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
      dir: 'data/cifar-10-batches-bin',
    });
    expect(parseDatasetSpec('cifar100:../d,labels=coarse')).toEqual({
      kind: 'cifar100',
      dir: '../d',
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

  it('parses the embedded dataset, which takes no folder and no options', () => {
    expect(parseDatasetSpec('fashion-mnist-small')).toEqual({ kind: 'fashion-mnist-small' });
    expect(parseDatasetSpec(' fashion-mnist-small ')).toEqual({ kind: 'fashion-mnist-small' });
    expect(formatDatasetSpec(parseDatasetSpec('fashion-mnist-small'))).toBe('fashion-mnist-small');
    expect(() => parseDatasetSpec('fashion-mnist-small:/data/fmnist')).toThrow(
      'unknown option "/data/fmnist" for fashion-mnist-small; fashion-mnist-small takes no folder and no options (it is built in)',
    );
    expect(() => parseDatasetSpec('fashion-mnist-smal')).toThrow(
      '(did you mean "fashion-mnist-small"?)',
    );
  });

  it('parses any spec as written, options in any order, absent ones defaulted', () => {
    fc.assert(
      fc.property(writtenAnySpecArb, ({ text, expected }) => {
        expect(parseDatasetSpec(text)).toEqual(expected);
      }),
    );
  });

  it('lists the allowed forms, one per kind in the table, for an unknown kind', () => {
    expect(DATASET_SPEC_FORMS).toEqual([
      'fashion-mnist-small',
      'synthetic[:classes=N,size=N,train=N,test=N,seed=N]',
      'cifar10:<dir>',
      'cifar100:<dir>[,labels=fine|coarse]',
      'mnist:<dir>',
      'fashion-mnist:<dir>',
      'folder:<dir>[,size=N]',
    ]);
    expect(DATASET_SPEC_FORMS).toHaveLength(Object.keys(DATASET_KIND_TABLE).length);
    expect(() => parseDatasetSpec('imagenet:/data')).toThrow(
      `unknown dataset kind "imagenet"; allowed: ${DATASET_SPEC_FORMS.join(', ')}`,
    );
    expect(violationsOf(() => parseDatasetSpec(' '))).toEqual([
      { path: '', message: expect.stringContaining('empty dataset spec') as unknown },
    ]);
  });

  it('rejects every corruption with its path', () => {
    fc.assert(
      fc.property(corruptSpecArb, ({ text, path, message }) => {
        const violations = violationsOf(() => parseDatasetSpec(text));
        expect(violations.map((v) => v.path)).toContain(path);
        expect(violations.find((v) => v.path === path)?.message).toMatch(message);
      }),
    );
  });

  it('reports every problem at once, in the order written, with the messages of the schema', () => {
    const violations = violationsOf(() =>
      parseDatasetSpec('synthetic:classes=1,size=big,colour=red,seed=1,seed=2'),
    );
    expect(violations).toEqual([
      { path: 'classes', message: 'expected an integer in 2..1000 (classes), got number 1' },
      {
        path: 'size',
        message: 'expected an integer in 8..512 (image side in pixels), got string "big"',
      },
      {
        path: 'colour',
        message: 'unknown option "colour" for synthetic; allowed: classes, size, train, test, seed',
      },
      { path: 'seed', message: 'option "seed" is given twice' },
    ]);
    expect(() => parseDatasetSpec('cifar10:')).toThrow('cifar10 needs a folder: cifar10:<dir>');
    expect(() => parseDatasetSpec('cifar10:/d,size=3')).toThrow(
      'unknown option "size" for cifar10; cifar10 takes no options',
    );
    expect(() => parseDatasetSpec('cifar100:/d,labels=coarce')).toThrow(
      'expected one of fine, coarse, got string "coarce" (did you mean "coarse"?)',
    );
    expect(() => parseDatasetSpec('mnst:/d')).toThrow('(did you mean "mnist"?)');
  });
});

describe('formatDatasetSpec', () => {
  it('round-trips through parseDatasetSpec', () => {
    fc.assert(
      fc.property(datasetSpecArb, (spec) => {
        expect(parseDatasetSpec(formatDatasetSpec(spec))).toEqual(spec);
      }),
    );
  });

  it('gives one canonical string for equivalent spellings, every option in table order', () => {
    const a = formatDatasetSpec(parseDatasetSpec('synthetic:seed=0'));
    expect(a).toBe(formatDatasetSpec(parseDatasetSpec('synthetic')));
    expect(a).toBe('synthetic:classes=10,size=32,train=5000,test=1000,seed=0');
    expect(formatDatasetSpec(parseDatasetSpec('cifar100:rel/dir'))).toBe(
      'cifar100:rel/dir,labels=fine',
    );
    expect(formatDatasetSpec(parseDatasetSpec('mnist:/m'))).toBe('mnist:/m');
  });
});

describe('DATASET_SPEC_SCHEMA', () => {
  const schema = fields({ dataset: DATASET_SPEC_SCHEMA });

  it('yields the typed spec inside an enclosing schema', () => {
    expect(parseWith(schema, { dataset: 'folder:imgs' }, 'settings')).toEqual({
      dataset: { kind: 'folder', dir: 'imgs', size: 32 },
    });
  });

  it('takes the JSON form of a parsed spec too', () => {
    fc.assert(
      fc.property(datasetSpecArb, (spec) => {
        const json: unknown = JSON.parse(JSON.stringify({ dataset: spec }));
        expect(parseWith(schema, json, 'settings')).toEqual({ dataset: spec });
      }),
    );
    expect(
      violationsOf(() => parseWith(schema, { dataset: { kind: 'synthetic', classes: 1 } }, 's')),
    ).toEqual([
      {
        path: 'dataset.classes',
        message: 'expected an integer in 2..1000 (classes), got number 1',
      },
    ]);
    expect(
      violationsOf(() => parseWith(schema, { dataset: { kind: 'mnist', dir: ['x'] } }, 's')),
    ).toEqual([
      { path: 'dataset.dir', message: 'expected a string or number, got a list of length 1' },
    ]);
  });

  it('reports a bad spec with the same messages, under the field', () => {
    fc.assert(
      fc.property(corruptSpecArb, ({ text }) => {
        const direct = violationsOf(() => parseDatasetSpec(text));
        const nested = violationsOf(() => parseWith(schema, { dataset: text }, 'settings'));
        expect(nested).toEqual(
          direct.map((v) => ({ ...v, path: v.path === '' ? 'dataset' : `dataset.${v.path}` })),
        );
      }),
    );
    expect(violationsOf(() => parseWith(schema, { dataset: 3 }, 'settings'))).toEqual([
      {
        path: 'dataset',
        message: expect.stringMatching(/^expected a dataset spec .*, got number 3$/) as unknown,
      },
    ]);
  });
});
