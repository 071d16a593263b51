/**
 * fast-check arbitraries for dataset specs, built from the kind table: spec strings written the way
 * a user might (options in any order, some left out), the values they must parse to, and single
 * corruptions with the path the parser must name.
 */
import fc from 'fast-check';
import { z } from 'zod';
import {
  DATASET_KIND_TABLE,
  DATASET_KINDS,
  parseDatasetSpec,
  type DatasetKind,
  type DatasetSpec,
} from '../../shared/dataset-spec.ts';
import { fieldInfo, type FieldInfo } from '../../shared/field-info.ts';

/** A spec string and the fields it must parse to (defaults filled in). */
export interface WrittenSpec {
  readonly text: string;
  readonly kind: DatasetKind;
  readonly expected: Readonly<Record<string, unknown>>;
}

/** The options of `kind` as the table declares them. */
export function optionsOf(kind: DatasetKind): FieldInfo[] {
  return fieldInfo(z.object(DATASET_KIND_TABLE[kind].options));
}

/**
 * A folder name the spec syntax can carry: not empty, no surrounding blanks, and no `=` (so no
 * piece of it reads as an option); relative or absolute, with commas, colons and spaces inside.
 */
export const dirArb: fc.Arbitrary<string> = fc
  .stringMatching(/^[A-Za-z0-9._/~][A-Za-z0-9._/~ ,:-]{0,30}$/)
  .filter((dir) => dir === dir.trim());

/** A valid value of one option. */
function valueArb(option: FieldInfo): fc.Arbitrary<string | number> {
  if (option.kind === 'number')
    return fc.integer({ min: option.min ?? 0, max: option.max ?? 2 ** 31 - 1 });
  return fc.constantFrom(...(option.values ?? []));
}

/** A valid spec string of `kind`: a subset of its options, shuffled, with their expected values. */
export function writtenSpecArb(kind: DatasetKind): fc.Arbitrary<WrittenSpec> {
  const options = optionsOf(kind);
  const dir = DATASET_KIND_TABLE[kind].dir ? dirArb.map((d) => [d]) : fc.constant([]);
  const given = fc
    .shuffledSubarray(options)
    .chain((chosen) =>
      fc.tuple(...chosen.map((o) => valueArb(o).map((v): [string, unknown] => [o.key, v]))),
    );
  return fc.tuple(dir, given).map(([folder, pairs]) => {
    const defaults = options.map((o): [string, unknown] => [o.key, o.default]);
    const expected = Object.fromEntries([
      ['kind', kind],
      ...folder.map((d): [string, unknown] => ['dir', d]),
      ...defaults,
      ...pairs,
    ]);
    const parts = [...folder, ...pairs.map(([k, v]) => `${k}=${String(v)}`)];
    return { text: parts.length === 0 ? kind : `${kind}:${parts.join(',')}`, kind, expected };
  });
}

/** A valid spec string of any kind. */
export const writtenAnySpecArb: fc.Arbitrary<WrittenSpec> = fc.oneof(
  ...DATASET_KINDS.map(writtenSpecArb),
);

/** A valid typed spec of any kind. */
export const datasetSpecArb: fc.Arbitrary<DatasetSpec> = writtenAnySpecArb.map((w) =>
  parseDatasetSpec(w.text),
);

/** A spec string with one thing wrong, the path the violation must name and what it must say. */
export interface CorruptSpec {
  readonly text: string;
  readonly path: string;
  readonly message: RegExp;
}

const NEAR_MISSES: Readonly<Record<string, string>> = {
  cifar: 'cifar10',
  cifar11: 'cifar10',
  minst: 'mnist',
  folders: 'folder',
  synthetik: 'synthetic',
};

/** An unknown kind: a near miss gets a did-you-mean hint, and the message lists every form. */
const unknownKindArb: fc.Arbitrary<CorruptSpec> = fc
  .constantFrom(...Object.entries(NEAR_MISSES))
  .map(([kind, hint]) => ({
    text: `${kind}:/data`,
    path: 'kind',
    message: new RegExp(
      `unknown dataset kind "${kind}" \\(did you mean "${hint}"\\?\\); allowed: .*folder:<dir>`,
    ),
  }));

/** A folder kind without its folder. */
const missingDirArb: fc.Arbitrary<CorruptSpec> = fc
  .constantFrom(...DATASET_KINDS.filter((k) => DATASET_KIND_TABLE[k].dir))
  .map((kind) => ({
    text: `${kind}:`,
    path: 'dir',
    message: new RegExp(`${kind} needs a folder`),
  }));

/** One option with a value outside its range or set. */
const badValueArb: fc.Arbitrary<CorruptSpec> = fc
  .constantFrom(...DATASET_KINDS.flatMap((k) => optionsOf(k).map((o) => [k, o] as const)))
  .chain(([kind, option]) => {
    const bad =
      option.kind === 'number'
        ? fc.constantFrom(
            String((option.min ?? 0) - 1),
            String((option.max ?? 0) + 1),
            'big',
            '1.5',
          )
        : fc.constantFrom('medium', 'Fine', '');
    return bad.map((value) => ({
      text: `${kind}:${DATASET_KIND_TABLE[kind].dir ? '/d,' : ''}${option.key}=${value}`,
      path: option.key,
      message: /^expected /,
    }));
  });

/** An option the kind does not have. */
const unknownOptionArb: fc.Arbitrary<CorruptSpec> = fc
  .constantFrom(...DATASET_KINDS)
  .map((kind) => ({
    text: `${kind}:${DATASET_KIND_TABLE[kind].dir ? '/d,' : ''}colour=red`,
    path: 'colour',
    message: new RegExp(`unknown option "colour" for ${kind}`),
  }));

/** An option given twice. */
const duplicateArb: fc.Arbitrary<CorruptSpec> = fc
  .constantFrom(...DATASET_KINDS.flatMap((k) => optionsOf(k).map((o) => [k, o] as const)))
  .map(([kind, option]) => {
    const pair = `${option.key}=${String(option.default)}`;
    return {
      text: `${kind}:${DATASET_KIND_TABLE[kind].dir ? '/d,' : ''}${pair},${pair}`,
      path: option.key,
      message: new RegExp(`option "${option.key}" is given twice`),
    };
  });

/** Any single corruption. */
export const corruptSpecArb: fc.Arbitrary<CorruptSpec> = fc.oneof(
  unknownKindArb,
  missingDirArb,
  badValueArb,
  unknownOptionArb,
  duplicateArb,
);
