/**
 * fast-check arbitraries that corrupt a valid genotype in exactly one place, with the path that
 * the parser's violations must name and what the message there must say.
 */
import fc from 'fast-check';
import { CELL_NAMES, stateCount, type Genotype } from '../../shared/genotype.ts';
import { OP_NAMES } from '../../shared/ops.ts';
import { COMBINES, DEFAULT_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import { genotypeWithOutputsArb } from './genotype.ts';

/** One step of a path into a genotype: a field name or a list index. */
export type Segment = string | number;

/** Returned by an edit to delete the field it edits. */
export const REMOVE: unique symbol = Symbol('remove');

/** A single corruption: where to edit, how, and the violation it must cause. */
export interface Corruption {
  readonly kind: string;
  /** Where the edit applies. */
  readonly at: readonly Segment[];
  /** The new value given the old one, or {@link REMOVE}. */
  readonly edit: (old: unknown) => unknown;
  /** The path the violation must have (usually `at`). */
  readonly path: readonly Segment[];
  /** What the violation's message must match. */
  readonly message: RegExp;
}

/** A valid genotype, one corruption, and the corrupted value. */
export interface Corrupted {
  readonly genotype: Genotype;
  readonly corruption: Corruption;
  readonly value: unknown;
}

const BLOCK_FIELDS = ['inputA', 'opA', 'inputB', 'opB', 'combine'] as const;

/** The path as the parser writes it: `normal.blocks[1].opA`. */
export function pathString(path: readonly Segment[]): string {
  return path
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      if (!/^[A-Za-z_$][\w$]*$/.test(s)) return `[${JSON.stringify(s)}]`;
      return i === 0 ? s : `.${s}`;
    })
    .join('');
}

/** A copy of `root` with the value at `at` replaced by `edit(old)` (or deleted); `root` is untouched. */
export function editAt(
  root: unknown,
  at: readonly Segment[],
  edit: (old: unknown) => unknown,
): unknown {
  const [head, ...rest] = at;
  if (head === undefined) return edit(root);
  if (isList(root) && typeof head === 'number') {
    const copy = [...root];
    copy[head] = editAt(copy[head], rest, edit);
    return copy;
  }
  if (typeof root !== 'object' || root === null)
    throw new Error(`cannot edit inside ${String(root)}`);
  const entries = Object.entries(root);
  const old: unknown = entries.find(([k]) => k === String(head))?.[1];
  const value = editAt(old, rest, edit);
  const kept = entries.filter(([k]) => k !== String(head));
  return Object.fromEntries(value === REMOVE ? kept : [...kept, [String(head), value]]);
}

function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

/** A valid genotype of `space` with exactly one corruption of any kind applied. */
export function corruptedArb(space: SearchSpace = DEFAULT_SPACE): fc.Arbitrary<Corrupted> {
  return fc
    .tuple(genotypeWithOutputsArb(space), corruptionArb(space))
    .map(([genotype, corruption]) => ({
      genotype,
      corruption,
      value: editAt(genotype, corruption.at, corruption.edit),
    }));
}

/** One corruption of any kind for a genotype of `space`. */
export function corruptionArb(space: SearchSpace = DEFAULT_SPACE): fc.Arbitrary<Corruption> {
  const kinds = [badOpArb, badInputArb, badCombineArb, wrongTypeArb, missingFieldArb];
  return fc.oneof(...[...kinds, extraFieldArb, blockCountArb, badOutputArb].map((k) => k(space)));
}

const cellArb = fc.constantFrom(...CELL_NAMES);

function blockIndexArb(space: SearchSpace): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: space.blocks - 1 });
}

function set(kind: string, at: readonly Segment[], value: unknown, message: RegExp): Corruption {
  return { kind, at, edit: () => value, path: at, message };
}

/** An unknown op, or an op of the table that `space` leaves out. */
export function badOpArb(space: SearchSpace): fc.Arbitrary<Corruption> {
  const excluded = OP_NAMES.filter((op) => !space.ops.includes(op));
  const unknown = fc.constantFrom('sep_9x9', 'Identity', '', 'conv_5x5', 'sep_conv_3x3 ');
  const value = excluded.length === 0 ? unknown : fc.oneof(unknown, fc.constantFrom(...excluded));
  return fc
    .tuple(cellArb, blockIndexArb(space), fc.constantFrom('opA', 'opB'), value)
    .map(([cell, b, key, op]) => {
      const message = excluded.some((o) => o === op)
        ? new RegExp(`op "${op}" is not in search space "${space.name}"; allowed: `)
        : new RegExp(`unknown op ${JSON.stringify(op)}.*; allowed: ${space.ops.join(', ')}$`);
      return set('op', [cell, 'blocks', b, key], op, message);
    });
}

/** An integer input that is negative, refers to the block itself, a later or no state. */
export function badInputArb(space: SearchSpace): fc.Arbitrary<Corruption> {
  const states = stateCount(space.blocks);
  return fc
    .tuple(cellArb, blockIndexArb(space), fc.constantFrom('inputA', 'inputB'))
    .chain(([cell, b, key]) =>
      fc
        .oneof(
          fc.integer({ min: -100, max: -1 }),
          fc.integer({ min: 2 + b, max: states + 3 }),
          fc.constantFrom(0.5, 1.25, Number.NaN, Number.POSITIVE_INFINITY),
        )
        .map((input) => {
          const why = !Number.isInteger(input)
            ? 'expected an integer state index'
            : input < 0
              ? 'is negative'
              : input === 2 + b
                ? `refers to block ${b} itself`
                : input < states
                  ? 'refers to a later state'
                  : 'refers to a non-existent state';
          const may = new RegExp(`${why}.*; block ${b} may read states 0\\.\\.${1 + b} `);
          return set('input', [cell, 'blocks', b, key], input, may);
        }),
    );
}

/** A combine that is unknown, or known but left out of `space`. */
export function badCombineArb(space: SearchSpace): fc.Arbitrary<Corruption> {
  const excluded = COMBINES.filter((c) => !space.combines.includes(c));
  const unknown = fc.constantFrom('mul', 'Add', 'sum', '', 'concat ');
  const value = excluded.length === 0 ? unknown : fc.oneof(unknown, fc.constantFrom(...excluded));
  return fc.tuple(cellArb, blockIndexArb(space), value).map(([cell, b, combine]) => {
    const known = COMBINES.some((c) => c === combine);
    const message = known ? /is not in search space/ : /unknown combine .*; allowed: /;
    return set('combine', [cell, 'blocks', b, 'combine'], combine, message);
  });
}

/** A value of the wrong type at any level: root, cell, blocks, block, field or output. */
export function wrongTypeArb(space: SearchSpace): fc.Arbitrary<Corruption> {
  const block = fc.tuple(cellArb, blockIndexArb(space));
  const at = (path: (c: string, b: number) => Segment[], values: unknown[]) =>
    block.chain(([c, b]) =>
      fc.constantFrom(...values).map((v) => set('type', path(c, b), v, /expected .*, got /)),
    );
  return fc.oneof(
    at(() => [], [null, 42, 'genotype', [], true]),
    at((c) => [c], [null, 'cell', [], 7]),
    at((c) => [c, 'blocks'], [{}, 'blocks', 5, null]),
    at((c) => [c, 'output'], ['all', 3, {}, null]),
    at((c, b) => [c, 'blocks', b], ['block', 3, null, []]),
    at((c, b) => [c, 'blocks', b, 'inputA'], ['0', true, null, [0], {}]),
    at((c, b) => [c, 'blocks', b, 'opB'], [3, null, ['identity'], {}]),
    at((c, b) => [c, 'blocks', b, 'combine'], [0, null, ['add'], false]),
  );
}

/** A required field removed: a cell, a cell's blocks, or one field of a block. */
export function missingFieldArb(space: SearchSpace): fc.Arbitrary<Corruption> {
  const locations: fc.Arbitrary<Segment[]>[] = [
    cellArb.map((c) => [c]),
    cellArb.map((c) => [c, 'blocks']),
    fc
      .tuple(cellArb, blockIndexArb(space), fc.constantFrom(...BLOCK_FIELDS))
      .map(([c, b, key]) => [c, 'blocks', b, key]),
  ];
  return fc.oneof(...locations).map((at) => set('missing', at, REMOVE, /^missing field "/));
}

/** A field that does not belong (a typo or a stray field) at the root, in a cell or in a block. */
export function extraFieldArb(space: SearchSpace): fc.Arbitrary<Corruption> {
  const key = fc.constantFrom('extra', 'opC', 'inputa', 'Normal', 'outputs', 'block', 'x y');
  const parents: fc.Arbitrary<Segment[]>[] = [
    fc.constant([]),
    cellArb.map((c) => [c]),
    fc.tuple(cellArb, blockIndexArb(space)).map(([c, b]) => [c, 'blocks', b]),
  ];
  return fc
    .tuple(fc.oneof(...parents), key, fc.jsonValue())
    .map(([parent, k, v]) => set('extra', [...parent, k], v, /^unexpected field .*; allowed: /));
}

/** Too few or too many blocks in one cell. */
export function blockCountArb(space: SearchSpace): fc.Arbitrary<Corruption> {
  const extra = {
    inputA: 0,
    opA: space.ops[0],
    inputB: 1,
    opB: space.ops[0],
    combine: space.combines[0],
  };
  const change = fc.integer({ min: -space.blocks, max: 3 }).filter((d) => d !== 0);
  const message = new RegExp(`^expected ${space.blocks} blocks \\(B of search space`);
  return fc.tuple(cellArb, change).map(([cell, delta]) => ({
    kind: 'count',
    at: [cell, 'blocks'],
    edit: (old: unknown) => {
      const blocks = isList(old) ? old : [];
      return delta < 0 ? blocks.slice(0, delta) : [...blocks, ...Array<unknown>(delta).fill(extra)];
    },
    path: [cell, 'blocks'],
    message,
  }));
}

/** An explicit output list that is empty, has a duplicate, or an out-of-range or non-integer entry. */
export function badOutputArb(space: SearchSpace): fc.Arbitrary<Corruption> {
  const states = stateCount(space.blocks);
  const valid = fc.uniqueArray(fc.integer({ min: 0, max: states - 1 }), {
    minLength: 1,
    maxLength: states,
  });
  const bad = fc.oneof(
    fc
      .constantFrom(1.5, '2', null, true)
      .map((v) => [v, /expected an integer state index/] as const),
    fc.integer({ min: states, max: states + 20 }).map((v) => [v, /does not exist/] as const),
    fc.integer({ min: -20, max: -1 }).map((v) => [v, /does not exist/] as const),
  );
  const entry = fc.tuple(cellArb, valid, bad).map(([cell, list, [v, message]]): Corruption => ({
    kind: 'output',
    at: [cell, 'output'],
    edit: () => [...list, v],
    path: [cell, 'output', list.length],
    message,
  }));
  const duplicate = fc.tuple(cellArb, valid).map(([cell, list]): Corruption => ({
    kind: 'output',
    at: [cell, 'output'],
    edit: () => [...list, list[0]],
    path: [cell, 'output', list.length],
    message: /is listed twice \(first at index 0\)/,
  }));
  const empty = cellArb.map((cell) => set('output', [cell, 'output'], [], /^empty output list/));
  return fc.oneof(entry, duplicate, empty);
}
