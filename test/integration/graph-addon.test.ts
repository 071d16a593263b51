/**
 * The graph-step addon's boundary: ops, attributes of every kind, a session run with feeds,
 * fetches and targets, and a clear error (with a code) for each kind of bad call. Skips where the
 * addon is not built (npx nas-trainer install-tensorflow builds it; under CI a missing addon fails).
 */
import { describe, expect, it } from 'vitest';
import { DTYPE } from '../../trainer/graph/graph-addon.ts';
import { installedGraphAddon } from '../fixtures/graph-addon.ts';
import { attr, floatTensor, GraphBuilder, intTensor } from '../../trainer/graph/graph-builder.ts';

const addon = installedGraphAddon();
const EMPTY_CONFIG = new Uint8Array();

describe.skipIf(addon === null)('the graph-step addon', () => {
  it('builds ops with list, shape, type, int, float, bool and tensor attributes and runs them', () => {
    if (addon === null) return;
    const b = new GraphBuilder(addon);
    const x = b.placeholder('x', [2, 3]);
    const scaled = b.op1('Mul', [x, b.scalar(2)]);
    const joined = b.op1('ConcatV2', [[scaled, x], b.constant(intTensor([], [1]))], {
      N: attr.int(2),
    });
    const clipped = b.op1('LeakyRelu', [joined], { alpha: attr.float(0.5) });
    const summed = b.op1('Sum', [clipped, b.ints([1])], { keep_dims: attr.bool(true) });
    expect(addon.outputShape(b.graph, summed)).toEqual([2, 1]);
    const session = addon.newSession(b.graph, EMPTY_CONFIG);
    const [out] = addon.run(
      session,
      [{ output: x, tensor: floatTensor([2, 3], [1, -2, 3, 4, 5, -6]) }],
      [summed],
      [],
    );
    addon.closeSession(session);
    // Row 1: 2+(-2)+6 = 6, plus leaky (x): 1 + (-1) + 3 = 3 -> 9; row 2: 8+10-6=12, 4+5-3=6 -> 18.
    expect(out).toEqual({ dtype: DTYPE.float32, shape: [2, 1], data: Float32Array.of(9, 18) });
  });

  it('keeps resource variables between runs and runs targets without fetches', () => {
    if (addon === null) return;
    const b = new GraphBuilder(addon);
    const v = b.variable('v', [2]);
    const bump = b.add('AssignAddVariableOp', [v.handle, b.constant(floatTensor([2], [1, 10]))], {
      dtype: attr.type(DTYPE.float32),
    }).name;
    const session = addon.newSession(b.graph, EMPTY_CONFIG);
    addon.run(
      session,
      [{ output: v.initValue, tensor: floatTensor([2], [0.5, 0]) }],
      [],
      [v.assign],
    );
    addon.run(session, [], [], [bump]);
    addon.run(session, [], [], [bump]);
    expect(addon.run(session, [], [v.value], [])[0]?.data).toEqual(Float32Array.of(2.5, 20));
    addon.closeSession(session);
  });

  it.each([
    ['an unknown op type', (b: GraphBuilder) => b.op('NoSuchOp', []), /NoSuchOp/],
    [
      'an unknown input',
      (b: GraphBuilder) => b.op('Relu', [{ op: 'missing', index: 0 }]),
      /no operation named "missing"/,
    ],
    [
      'an output index out of range',
      (b: GraphBuilder) => b.op('Relu', [{ op: 'x', index: 3 }]),
      /output 3 of "x" does not exist/,
    ],
    [
      'a wrong attribute type',
      (b: GraphBuilder) => b.op('Relu', [{ op: 'x', index: 0 }], { T: attr.int(1) }),
      /T/,
    ],
    [
      'tensor data of the wrong size',
      (b: GraphBuilder) =>
        b.constant({ dtype: DTYPE.float32, shape: [3], data: new Float32Array(2) }),
      /8 bytes; its shape and dtype need 12/,
    ],
  ] as const)('rejects %s with a message and adds no op', (_what, build, message) => {
    if (addon === null) return;
    const b = new GraphBuilder(addon);
    b.placeholder('x', [2]);
    expect(() => build(b)).toThrow(message);
    for (const name of ['NoSuchOp', 'Relu', 'Const']) {
      expect(() => addon.outputShape(b.graph, { op: name, index: 0 })).toThrow(
        /no operation named/,
      );
    }
  });

  it('refuses a second op of the same name', () => {
    if (addon === null) return;
    const b = new GraphBuilder(addon);
    b.placeholder('x', [2]);
    const spec = {
      op: 'Placeholder',
      name: 'x',
      inputs: [],
      attrs: [['dtype', 'type', DTYPE.float32] as const],
    };
    expect(() => addon.addOp(b.graph, spec)).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_OP' }),
    );
  });

  it('fails a run with a missing feed, and any run on a closed session, with a code', () => {
    if (addon === null) return;
    const b = new GraphBuilder(addon);
    const x = b.placeholder('x', [2]);
    const y = b.op1('Relu', [x]);
    const session = addon.newSession(b.graph, EMPTY_CONFIG);
    expect(() => addon.run(session, [], [y], [])).toThrow(
      expect.objectContaining({ code: 'TF_3' }),
    );
    addon.closeSession(session);
    expect(() => addon.run(session, [], [y], [])).toThrow(
      expect.objectContaining({ code: 'CLOSED' }),
    );
  });
});
