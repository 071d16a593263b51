/**
 * Costs of the ops of a block and of the adjustments of cell inputs and outputs, layer by layer as
 * the network plan describes them (see cell-plan.ts, and each op kind's layers in ops.ts).
 */
import { factorizedHalves, opLayers, type Adjustment, type OpPlan } from './cell-plan.ts';
import { addBatchNorm, addConv, addDepthwise, type CostTotal } from './layer-cost.ts';
import type { PlacedStep } from './op-step.ts';
import { assertNever } from './ops.ts';
import type { Shape } from './shape.ts';

/** Adds the cost of one op: the cost of its layers (its kind's record in ops.ts). */
export function addOpCost(total: CostTotal, op: OpPlan): void {
  addStepsCost(total, opLayers(op));
}

/**
 * Adds the cost of a list of layers: convolutions count their weights and multiply-adds at their
 * output size, BN its scale and shift; ReLU and pooling are free.
 */
export function addStepsCost(total: CostTotal, layers: readonly PlacedStep[]): void {
  for (const { step, input, output } of layers) {
    const { height, width } = output;
    switch (step.step) {
      case 'relu':
      case 'pool':
        break;
      case 'conv': {
        const [kh, kw] = step.kernel;
        addConv(total, height, width, kh, kw, input.channels, step.filters);
        break;
      }
      case 'depthwise':
        addDepthwise(total, height, width, step.kernel[0], step.kernel[1], input.channels);
        break;
      case 'separable':
        addDepthwise(total, height, width, step.kernel, step.kernel, input.channels);
        addConv(total, height, width, 1, 1, input.channels, step.filters);
        break;
      case 'bn':
        addBatchNorm(total, output.channels);
        break;
      default:
        assertNever(step, 'op step');
    }
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
