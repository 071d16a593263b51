/**
 * Costs of the ops of a block and of the adjustments of cell inputs and outputs, layer by layer as
 * the network plan describes them (see cell-plan.ts and the op table in ops.ts).
 */
import { factorizedHalves, opProjects, type Adjustment, type OpPlan } from './cell-plan.ts';
import { addBatchNorm, addConv, addDepthwise, type CostTotal } from './layer-cost.ts';
import { assertNever, opSpec } from './ops.ts';
import type { Shape } from './shape.ts';

/**
 * Adds the cost of one op. sep_conv is TF-slim's `_stacked_separable_conv` with two layers; identity
 * and pooling follow `_apply_conv_operation`. The conv forms (conv, factorized_conv, dilated_conv)
 * are cellsearch's choice of a plain ReLU -> conv -> BN, since the released NASNet code has none.
 */
export function addOpCost(total: CostTotal, op: OpPlan): void {
  const spec = opSpec(op.op);
  const { height, width, channels: filters } = op.output;
  const cin = op.input.channels;
  switch (spec.kind) {
    case 'sep_conv': {
      const k = spec.kernel;
      addDepthwise(total, height, width, k, k, cin);
      addConv(total, height, width, 1, 1, cin, filters);
      addBatchNorm(total, filters);
      addDepthwise(total, height, width, k, k, filters);
      addConv(total, height, width, 1, 1, filters, filters);
      addBatchNorm(total, filters);
      return;
    }
    case 'identity':
    case 'avg_pool':
    case 'max_pool':
      if (opProjects(spec, cin, filters, op.stride)) {
        addConv(total, height, width, 1, 1, cin, filters);
        addBatchNorm(total, filters);
      }
      return;
    case 'conv':
    case 'dilated_conv':
      addConv(total, height, width, spec.kernel, spec.kernel, cin, filters);
      addBatchNorm(total, filters);
      return;
    case 'factorized_conv':
      // 1 x k with stride (1, s) keeps the input height; k x 1 with stride (s, 1) then halves it.
      addConv(total, op.input.height, width, 1, spec.kernel, cin, filters);
      addConv(total, height, width, spec.kernel, 1, filters, filters);
      addBatchNorm(total, filters);
      return;
    default:
      assertNever(spec, 'op');
  }
}

/** Adds the cost of bringing `input` to `output` (1x1 conv -> BN, or factorized reduction -> BN). */
export function addAdjustmentCost(
  total: CostTotal,
  adjustment: Adjustment,
  input: Shape,
  output: Shape,
): void {
  const { height, width, channels } = output;
  switch (adjustment.kind) {
    case 'none':
      return;
    case 'conv_1x1':
      addConv(total, height, width, 1, 1, input.channels, channels);
      addBatchNorm(total, channels);
      return;
    case 'factorized_reduction': {
      const [first, second] = factorizedHalves(channels);
      addConv(total, height, width, 1, 1, input.channels, first);
      addConv(total, height, width, 1, 1, input.channels, second);
      addBatchNorm(total, channels);
      return;
    }
    default:
      assertNever(adjustment, 'adjustment');
  }
}
