/**
 * One cell as standard Keras layers, mirroring ./cell-layer.ts and ./adjustment-layer.ts: adjust
 * h_i and h_{i-1}, run every block (Add or Concatenate of its two ops), concatenate the planned
 * output states in plan order. Inference form: no drop path.
 */
import { factorizedHalves, type Adjustment, type CellPlan } from '../../shared/cell-plan.ts';
import { assertNever } from '../../shared/ops.ts';
import { tf } from '../tf.ts';
import { applyOp } from './keras-op.ts';
import {
  applyLayer,
  batchNormLayer,
  convLayer,
  layerName,
  reluLayer,
  type KerasGraph,
  type Sym,
} from './keras-layers.ts';

/** Applies cell `plan` to [h_i, h_{i-1}]; layers named `cell_<index>.<kind>.…` as its weights. */
export function applyCell(g: KerasGraph, plan: CellPlan, inputs: readonly [Sym, Sym]): Sym {
  const at = `cell_${plan.index}/${plan.kind}`;
  const [p0, p1] = plan.inputs;
  const states: Sym[] = [
    applyAdjustment(g, `${at}/input_0`, p0.adjustment, p0.shape.channels, inputs[0]),
    applyAdjustment(g, `${at}/input_1`, p1.adjustment, p1.shape.channels, inputs[1]),
  ];
  plan.blocks.forEach((block, b) => {
    const ya = applyOp(g, `${at}/block_${b}/opA`, block.a, read(states, block.a.state));
    const yb = applyOp(g, `${at}/block_${b}/opB`, block.b, read(states, block.b.state));
    const name = layerName(`${at}/block_${b}/${block.combine}`);
    const combine =
      block.combine === 'add' ? tf.layers.add({ name }) : tf.layers.concatenate({ name, axis: -1 });
    states.push(applyLayer(combine, [ya, yb]));
  });
  const parts = plan.outputs.map((out) =>
    applyAdjustment(
      g,
      `${at}/output_${out.state}`,
      out.adjustment,
      out.shape.channels,
      read(states, out.state),
    ),
  );
  const [only] = parts;
  if (parts.length === 1 && only !== undefined) return only;
  return applyLayer(tf.layers.concatenate({ name: layerName(`${at}/output`), axis: -1 }), parts);
}

/**
 * [ReLU ->] 1x1 conv -> BN, or [ReLU ->] factorized reduction -> BN; weights `<prefix>/conv` or
 * `<prefix>/path_<1|2>/conv`, and `<prefix>/bn`.
 */
function applyAdjustment(
  g: KerasGraph,
  prefix: string,
  adjustment: Adjustment,
  cout: number,
  x: Sym,
): Sym {
  switch (adjustment.kind) {
    case 'none':
      return x;
    case 'conv_1x1': {
      const input = adjustment.relu ? reluLayer(`${prefix}/relu`, x) : x;
      return batchNormLayer(g, `${prefix}/bn`, convLayer(g, `${prefix}/conv`, input, [1, 1], cout));
    }
    case 'factorized_reduction': {
      const input = adjustment.relu ? reluLayer(`${prefix}/relu`, x) : x;
      return batchNormLayer(g, `${prefix}/bn`, factorizedReduction(g, prefix, cout, input));
    }
    default:
      return assertNever(adjustment, 'adjustment');
  }
}

/**
 * TF-slim `_factorized_reduction` without its BN: path 1 is a 1x1 conv at stride 2 (pixels
 * (2r, 2c)); path 2 shifts the input by one pixel (zero-pad bottom and right, crop top and left)
 * before its stride-2 1x1 conv (pixels (2r + 1, 2c + 1), zero past the border). A path with no
 * channels (cout = 1) is left out, as in ./adjustment-layer.ts.
 */
function factorizedReduction(g: KerasGraph, prefix: string, cout: number, x: Sym): Sym {
  const [first, second] = factorizedHalves(cout);
  const stride2 = { strides: [2, 2], padding: 'valid' } as const;
  const padded = applyLayer(
    tf.layers.zeroPadding2d({
      name: layerName(`${prefix}/path_2/pad`),
      padding: [
        [0, 1],
        [0, 1],
      ],
    }),
    x,
  );
  const shifted = applyLayer(
    tf.layers.cropping2D({
      name: layerName(`${prefix}/path_2/crop`),
      cropping: [
        [1, 0],
        [1, 0],
      ],
    }),
    padded,
  );
  const path2 = convLayer(g, `${prefix}/path_2/conv`, shifted, [1, 1], second, stride2);
  if (first === 0) return path2;
  const path1 = convLayer(g, `${prefix}/path_1/conv`, x, [1, 1], first, stride2);
  const concat = tf.layers.concatenate({ name: layerName(`${prefix}/paths`), axis: -1 });
  return applyLayer(concat, [path1, path2]);
}

function read(states: readonly Sym[], state: number): Sym {
  const x = states[state];
  if (x === undefined) throw new Error(`hidden state ${state} is not computed yet`);
  return x;
}
