/**
 * The layers that bring a cell input or output state to the shape the cell needs (cell-plan.ts
 * `Adjustment`): [ReLU ->] 1x1 conv -> BN, or [ReLU ->] factorized reduction -> BN, as TF-slim's
 * `_reduce_prev_layer`, `_cell_base` and `_combine_unused_states` build them (see
 * docs/nasnet.md#ops-and-cell-wiring).
 */
import { factorizedHalves, type Adjustment } from '../../shared/cell-plan.ts';
import { assertNever } from '../../shared/ops.ts';
import type { Shape } from '../../shared/shape.ts';
import { tf } from '../tf.ts';
import type { Tensor4D } from '../tf.ts';
import { batchNorm, type BatchNormSettings } from './batch-norm.ts';
import { subsample } from './conv-ops.ts';
import { conv } from './conv-layers.ts';
import { identity, relu, sequence, type Layer } from './layer.ts';
import type { ParamStore } from './param-store.ts';

/**
 * Builds `adjustment` from `input` to `output`; weights `<prefix>/conv` or
 * `<prefix>/path_<1|2>/conv`, and `<prefix>/bn`.
 */
export function buildAdjustment(
  store: ParamStore,
  prefix: string,
  adjustment: Adjustment,
  input: Shape,
  output: Shape,
  bn: BatchNormSettings,
): Layer {
  const cin = input.channels;
  const cout = output.channels;
  switch (adjustment.kind) {
    case 'none':
      return identity;
    case 'conv_1x1': {
      const body = conv(store, `${prefix}/conv`, [1, 1], { cin, cout });
      const norm = batchNorm(store, `${prefix}/bn`, cout, bn);
      return adjustment.relu ? sequence(relu, body, norm) : sequence(body, norm);
    }
    case 'factorized_reduction': {
      const body = factorizedReduction(store, prefix, cin, cout);
      const norm = batchNorm(store, `${prefix}/bn`, cout, bn);
      return adjustment.relu ? sequence(relu, body, norm) : sequence(body, norm);
    }
    default:
      return assertNever(adjustment, 'adjustment');
  }
}

/**
 * TF-slim `_factorized_reduction` without its BN: path 1 keeps pixels (2r, 2c), path 2 pixels
 * (2r + 1, 2c + 1) (see shiftedGrid); each gets a 1x1 conv to its half of `cout` (see
 * factorizedHalves) and the two are concatenated. A path with no channels (cout = 1) is left out.
 */
function factorizedReduction(store: ParamStore, prefix: string, cin: number, cout: number): Layer {
  const [first, second] = factorizedHalves(cout);
  const path1 =
    first > 0 ? conv(store, `${prefix}/path_1/conv`, [1, 1], { cin, cout: first }) : null;
  const path2 = conv(store, `${prefix}/path_2/conv`, [1, 1], { cin, cout: second });
  return (x, ctx) => {
    const b = path2(shiftedGrid(x), ctx);
    if (path1 === null) return b;
    return tf.concat([path1(subsample(x, [2, 2]), ctx), b], 3);
  };
}

/**
 * Pixels (2r + 1, 2c + 1) of x, zero past the border: pad by one on every side (two at the bottom
 * or right of an odd size), keep every second pixel from (0, 0), drop the first row and column.
 * Same as TF-slim's pad-then-crop-then-subsample, but the slice (slow on wasm, a JavaScript loop
 * per row) runs on the subsampled tensor, a quarter of the size.
 */
function shiftedGrid(x: Tensor4D): Tensor4D {
  const [n, h, w, c] = x.shape;
  const padded = tf.pad(x, [
    [0, 0],
    [1, 1 + (h % 2)],
    [1, 1 + (w % 2)],
    [0, 0],
  ]);
  return tf.slice(
    subsample(padded, [2, 2]),
    [0, 1, 1, 0],
    [n, Math.ceil(h / 2), Math.ceil(w / 2), c],
  );
}
