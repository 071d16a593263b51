import { describe, expect, it } from 'vitest';
import { opLayers, opProjects } from '../../shared/cell-plan.ts';
import { isOpName, OP_NAMES, opSpec, type OpKind } from '../../shared/ops.ts';
import { NASNET_OPS, NASNET_SPACE, SEARCH_SPACES } from '../../shared/search-space.ts';
import { sameShape } from '../../shared/shape.ts';

/**
 * Whether an op of each kind projects, for (same channels, stride 1), (channel change, stride 1),
 * (same channels, stride 2), (channel change, stride 2). A Record, so a new kind must be added here.
 */
const PROJECTS: Readonly<Record<OpKind, readonly [boolean, boolean, boolean, boolean]>> = {
  identity: [false, true, true, true],
  avg_pool: [false, true, false, true],
  max_pool: [false, true, false, true],
  conv: [false, false, false, false],
  factorized_conv: [false, false, false, false],
  dilated_conv: [false, false, false, false],
  sep_conv: [false, false, false, false],
};

const CASES = [
  { cin: 32, f: 32, stride: 1 },
  { cin: 16, f: 32, stride: 1 },
  { cin: 32, f: 32, stride: 2 },
  { cin: 64, f: 32, stride: 2 },
] as const;

describe('opProjects', () => {
  it.each(OP_NAMES)('%s projects exactly as its kind requires', (name) => {
    const spec = opSpec(name);
    const actual = CASES.map(({ cin, f, stride }) => opProjects(spec, cin, f, stride));
    expect(actual).toEqual(PROJECTS[spec.kind]);
  });

  it.each(OP_NAMES)("%s: its kind's layers end in the planned shape at strides 1 and 2", (op) => {
    for (const { cin, f, stride } of CASES) {
      const input = { height: 7, width: 6, channels: cin };
      const plan = { state: 0, op, stride, input, output: sameShape(input, stride, f) };
      const layers = opLayers(plan); // throws when they end elsewhere
      expect(layers.at(-1)?.output ?? input, `${cin}->${f} /${stride}`).toEqual(plan.output);
    }
  });

  it('covers every op kind of the op table', () => {
    const kinds = new Set(OP_NAMES.map((name) => opSpec(name).kind));
    expect([...kinds].sort()).toEqual(Object.keys(PROJECTS).sort());
  });
});

describe('the nasnet search space', () => {
  it('keeps its op order, whatever ops the default space gains', () => {
    // The order is the decision encoding: changing it would change every stored decision sequence.
    // Pinned as a literal (the paper's order), not derived from OP_NAMES, so a new op never moves it.
    expect(NASNET_SPACE.ops).toEqual([
      'identity',
      'conv_1x3_3x1',
      'conv_1x7_7x1',
      'dil_conv_3x3',
      'avg_pool_3x3',
      'max_pool_3x3',
      'max_pool_5x5',
      'max_pool_7x7',
      'conv_1x1',
      'conv_3x3',
      'sep_conv_3x3',
      'sep_conv_5x5',
      'sep_conv_7x7',
    ]);
  });

  it("lists the paper's 13 ops, each a known op name, without duplicates", () => {
    expect(NASNET_SPACE.ops).toBe(NASNET_OPS);
    expect(NASNET_OPS).toHaveLength(13);
    expect(new Set(NASNET_OPS).size).toBe(NASNET_OPS.length);
    for (const op of NASNET_OPS) expect(isOpName(op)).toBe(true);
    expect(NASNET_OPS).not.toContain('avg_pool_5x5');
    expect(Object.isFrozen(NASNET_OPS)).toBe(true);
    expect(SEARCH_SPACES['nasnet']).toBe(NASNET_SPACE);
  });
});
