import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidGenotypeError,
  InvalidValueError,
  UnsupportedError,
  type Violation,
} from '../../shared/errors.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { OP_NAMES } from '../../shared/ops.ts';
import {
  COMBINES,
  DEFAULT_SPACE,
  NASNET_SPACE,
  type SearchSpace,
} from '../../shared/search-space.ts';
import { parseGenotype, parseSearchSpace, searchSpaceByName } from '../../shared/validate.ts';
import { corruptedArb, editAt, pathString } from '../arbitraries/corruptions.ts';
import { genotypeArb, genotypeWithOutputsArb } from '../arbitraries/genotype.ts';

/** The violations `parse` throws, or fails the test when it does not throw. */
function violationsOf(
  parse: () => unknown,
  type: new (...args: never[]) => InvalidValueError = InvalidGenotypeError,
): readonly Violation[] {
  try {
    parse();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    if (err instanceof InvalidValueError) return err.violations;
  }
  expect.unreachable('expected the value to be rejected');
}

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

const ADD_ONLY = {
  name: 'add-only',
  ops: ['identity', 'sep_conv_3x3'],
  blocks: 5,
  combines: ['add'],
};

/** Random valid search spaces: any non-empty op and combine subsets, 1..8 blocks. */
const spaceArb: fc.Arbitrary<SearchSpace> = fc.record({
  name: fc.constantFrom('custom', 'tiny'),
  ops: fc.shuffledSubarray([...OP_NAMES], { minLength: 1 }),
  blocks: fc.integer({ min: 1, max: 8 }),
  combines: fc.shuffledSubarray([...COMBINES], { minLength: 1 }),
});

describe('parseGenotype', () => {
  it('parses every valid genotype to a fresh, deep-frozen, equal value', () => {
    const arb = fc.oneof(genotypeArb(), genotypeWithOutputsArb());
    fc.assert(
      fc.property(arb, (g) => {
        const parsed = parseGenotype(g);
        expect(parsed).toEqual(g);
        expect(parsed).not.toBe(g);
        expect(isDeepFrozen(parsed)).toBe(true);
      }),
    );
  });

  it('round-trips exactly through JSON, in any search space', () => {
    const arb = spaceArb.chain((space) =>
      genotypeWithOutputsArb(space).map((g) => [space, g] as const),
    );
    fc.assert(
      fc.property(arb, ([space, g]) => {
        const json: unknown = JSON.parse(JSON.stringify(g));
        expect(parseGenotype(json, parseSearchSpace(space))).toEqual(g);
      }),
    );
  });

  it('parses NASNet-A in both the default and the paper space', () => {
    expect(parseGenotype(NASNET_A)).toEqual(NASNET_A);
    expect(parseGenotype(NASNET_A, NASNET_SPACE)).toEqual(NASNET_A);
  });

  it('rejects every single corruption with exactly one violation, at its path', () => {
    for (const space of [DEFAULT_SPACE, NASNET_SPACE, parseSearchSpace(ADD_ONLY)]) {
      const kinds = new Set<string>();
      fc.assert(
        fc.property(corruptedArb(space), ({ corruption, value }) => {
          kinds.add(corruption.kind);
          const violations = violationsOf(() => parseGenotype(value, space));
          const path = pathString(corruption.path);
          expect(violations.map((v) => v.path)).toEqual([path]);
          expect(violations[0]?.message).toMatch(corruption.message);
        }),
        { numRuns: 500 },
      );
      const all = ['combine', 'count', 'extra', 'input', 'missing', 'op', 'output', 'type'];
      expect([...kinds].sort()).toEqual(all);
    }
  });

  it('reports every corrupted leaf when several are corrupted at once', () => {
    const leaf = fc.record({
      cell: fc.constantFrom('normal', 'reduction'),
      b: fc.integer({ min: 0, max: 4 }),
      key: fc.constantFrom('inputA', 'opA', 'inputB', 'opB', 'combine'),
      bad: fc.nat(),
    });
    const leaves = fc.uniqueArray(leaf, {
      minLength: 2,
      maxLength: 10,
      selector: (l) => `${l.cell}.blocks[${l.b}].${l.key}`,
    });
    fc.assert(
      fc.property(genotypeWithOutputsArb(), leaves, (g, ls) => {
        const value = ls.reduce<unknown>(
          (acc, l) => editAt(acc, [l.cell, 'blocks', l.b, l.key], () => badLeaf(l.key, l.bad)),
          g,
        );
        const paths = violationsOf(() => parseGenotype(value)).map((v) => v.path);
        expect(new Set(paths)).toEqual(new Set(ls.map((l) => `${l.cell}.blocks[${l.b}].${l.key}`)));
      }),
    );
  });

  it('reports problems at every level together, with their messages', () => {
    const value = editAt(
      editAt(
        editAt({ ...NASNET_A, extra: 1 }, ['normal', 'blocks', 1, 'opA'], () => 'sep_9x9'),
        ['reduction', 'blocks'],
        () => NASNET_A.reduction.blocks.slice(0, 3),
      ),
      ['normal', 'output'],
      () => [1, 2, 2],
    );
    expect(messages(violationsOf(() => parseGenotype(value)))).toEqual([
      'extra: unexpected field "extra"; allowed: normal, reduction',
      `normal.blocks[1].opA: unknown op "sep_9x9"; allowed: ${OP_NAMES.join(', ')}`,
      'normal.output[2]: output state 2 is listed twice (first at index 1)',
      'reduction.blocks: expected 5 blocks (B of search space "default"), got 3',
    ]);
  });

  it('explains inputs that do not refer to an earlier state', () => {
    const g = (input: number): unknown =>
      editAt(NASNET_A, ['normal', 'blocks', 2, 'inputB'], () => input);
    const may = 'block 2 may read states 0..3 (0 = h_i, 1 = h_{i-1}, 2.. = earlier blocks)';
    expect(messages(violationsOf(() => parseGenotype(g(4))))).toEqual([
      `normal.blocks[2].inputB: input 4 refers to block 2 itself; ${may}`,
    ]);
    expect(messages(violationsOf(() => parseGenotype(g(5))))).toEqual([
      `normal.blocks[2].inputB: input 5 refers to a later state (the output of block 3); ${may}`,
    ]);
    expect(violationsOf(() => parseGenotype(g(7)))[0]?.message).toBe(
      `input 7 refers to a non-existent state (a cell has states 0..6); ${may}`,
    );
    expect(violationsOf(() => parseGenotype(g(-1)))[0]?.message).toBe(
      `input -1 is negative; ${may}`,
    );
  });

  it('says distinctly when a known op is left out of the search space', () => {
    const value = editAt(NASNET_A, ['reduction', 'blocks', 0, 'opB'], () => 'avg_pool_5x5');
    expect(parseGenotype(value).reduction.blocks[0]?.opB).toBe('avg_pool_5x5');
    expect(messages(violationsOf(() => parseGenotype(value, NASNET_SPACE)))).toEqual([
      `reduction.blocks[0].opB: op "avg_pool_5x5" is not in search space "nasnet"; allowed: ${NASNET_SPACE.ops.join(', ')}`,
    ]);
  });

  it('suggests the field or op that a typo was probably meant to be', () => {
    const value = editAt(
      editAt(NASNET_A, ['normal', 'blocks', 0, 'opA'], () => 'sep_conv5x5'),
      ['normal', 'blocks', 0, 'combne'],
      () => 'add',
    );
    const found = messages(violationsOf(() => parseGenotype(value)));
    expect(found[0]).toMatch(
      /^normal\.blocks\[0\]\.combne: unexpected field "combne" \(did you mean "combine"\?\)/,
    );
    expect(found[1]).toMatch(/unknown op "sep_conv5x5" \(did you mean "sep_conv_5x5"\?\)/);
  });

  it('treats -0 as state 0 and an undefined output as the paper rule', () => {
    const value = editAt(NASNET_A, ['normal', 'blocks', 0, 'inputA'], () => -0);
    expect(Object.is(parseGenotype(value).normal.blocks[0]?.inputA, 0)).toBe(true);
    const noOutput = parseGenotype(editAt(NASNET_A, ['normal', 'output'], () => undefined));
    expect(noOutput.normal).toEqual({ blocks: NASNET_A.normal.blocks });
  });
});

/** A wrong value for a block field, chosen by `n`. */
function badLeaf(key: string, n: number): unknown {
  const bad = key.startsWith('input') ? [-1, 99, 0.5, '1', null] : ['sep_9x9', 7, 'mul', [], ''];
  return bad[n % bad.length];
}

function messages(violations: readonly Violation[]): string[] {
  return violations.map((v) => `${v.path}: ${v.message}`);
}

describe('parseSearchSpace', () => {
  it('parses the named spaces and random valid ones to equal, frozen values', () => {
    expect(parseSearchSpace(DEFAULT_SPACE)).toEqual(DEFAULT_SPACE);
    expect(parseSearchSpace(NASNET_SPACE)).toEqual(NASNET_SPACE);
    fc.assert(
      fc.property(spaceArb, (space) => {
        const parsed = parseSearchSpace(JSON.parse(JSON.stringify(space)));
        expect(parsed).toEqual(space);
        expect(isDeepFrozen(parsed)).toBe(true);
      }),
    );
  });

  it('reports every violation with its path', () => {
    const bad = {
      name: '',
      ops: ['identity', 'sep_9x9', 'identity'],
      blocks: 9,
      combines: [],
      extra: true,
    };
    const found = violationsOf(() => parseSearchSpace(bad), InvalidValueError);
    const byPath = new Map(found.map((v) => [v.path, v.message]));
    expect([...byPath.keys()].sort()).toEqual(
      ['extra', 'name', 'ops[1]', 'ops[2]', 'blocks', 'combines'].sort(),
    );
    expect(byPath.get('ops[1]')).toMatch(/^unknown op "sep_9x9"; allowed: identity, /);
    expect(byPath.get('ops[2]')).toBe('op "identity" is listed twice');
    expect(byPath.get('blocks')).toBe(
      'expected an integer in 1..8 (blocks per cell), got number 9',
    );
  });

  it('rejects missing fields, non-integer block counts and unknown combines', () => {
    const paths = (value: unknown): string[] =>
      violationsOf(() => parseSearchSpace(value), InvalidValueError).map((v) => v.path);
    expect(paths(null)).toEqual(['']);
    expect(paths({})).toEqual(['name', 'ops', 'blocks', 'combines']);
    expect(paths({ ...ADD_ONLY, blocks: 2.5 })).toEqual(['blocks']);
    expect(paths({ ...ADD_ONLY, blocks: 0 })).toEqual(['blocks']);
    expect(paths({ ...ADD_ONLY, combines: ['add', 'mul'] })).toEqual(['combines[1]']);
    expect(paths({ ...ADD_ONLY, ops: [] })).toEqual(['ops']);
  });
});

describe('searchSpaceByName', () => {
  it('finds the named spaces', () => {
    expect(searchSpaceByName('default')).toBe(DEFAULT_SPACE);
    expect(searchSpaceByName('nasnet')).toBe(NASNET_SPACE);
  });

  it('rejects other names, listing the known ones', () => {
    for (const name of ['NASNet', 'toString', '__proto__', '']) {
      expect(() => searchSpaceByName(name)).toThrow(UnsupportedError);
    }
    expect(() => searchSpaceByName('darts')).toThrow(
      'unknown search space "darts"; known: default, nasnet',
    );
  });
});
