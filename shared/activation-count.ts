/**
 * The activations one example leaves alive during a training step: every tensor the forward pass
 * makes and backprop reads, counted layer by layer from the network plan as the tfjs builder makes
 * them (trainer/network/: ReLU, conv, depthwise, pooling and BN each output one tensor; a block adds
 * or concatenates; a cell concatenates its outputs). Element counts, not bytes.
 */
import { opLayers, type Adjustment, type CellPlan, type OpPlan } from './cell-plan.ts';
import { stateShape } from './complexity.ts';
import type { AuxHeadPlan, NetworkPlan } from './network-plan.ts';
import type { PlacedStep } from './op-step.ts';
import { assertNever } from './ops.ts';
import type { Shape } from './shape.ts';

/** Elements of every kept activation of one example, and of the largest single one. */
export interface Tally {
  total: number;
  largest: number;
}

function elements(shape: Shape): number {
  return shape.height * shape.width * shape.channels;
}

function add(tally: Tally, count: number, times = 1): void {
  tally.total += count * times;
  tally.largest = Math.max(tally.largest, count);
}

/** Counts the activations of one example through the whole network. */
export function activationElements(plan: NetworkPlan): Tally {
  const tally: Tally = { total: 0, largest: 0 };
  // The batch as read, and normalised and augmented.
  add(tally, elements(plan.stem.input), 2);
  // Stem: conv -> BN.
  add(tally, elements(plan.stem.output), 2);
  for (const cell of plan.cells) addCell(tally, cell);
  if (plan.auxHead !== null) addAuxHead(tally, plan.auxHead);
  // Head: ReLU, global pool, dense.
  add(tally, elements(plan.head.input));
  add(tally, plan.head.input.channels + plan.head.classes);
  return tally;
}

function addCell(tally: Tally, cell: CellPlan): void {
  for (const input of cell.inputs) addAdjustment(tally, input.adjustment, input.input, input.shape);
  for (const block of cell.blocks) {
    addOp(tally, block.a);
    addOp(tally, block.b);
    add(tally, elements(block.output));
  }
  for (const out of cell.outputs)
    addAdjustment(tally, out.adjustment, stateShape(cell, out.state), out.shape);
  add(tally, elements(cell.output));
}

/** ReLU (when asked) -> 1x1 conv -> BN, or ReLU -> two half-width paths -> concat -> BN. */
function addAdjustment(tally: Tally, adjustment: Adjustment, input: Shape, output: Shape): void {
  switch (adjustment.kind) {
    case 'none':
      return;
    case 'conv_1x1':
      if (adjustment.relu) add(tally, elements(input));
      add(tally, elements(output), 2);
      return;
    case 'factorized_reduction':
      if (adjustment.relu) add(tally, elements(input));
      // Two subsampled inputs of a quarter each, the two convs (half the output each), concat, BN.
      add(tally, elements(input) / 4, 2);
      add(tally, elements(output), 3);
      return;
    default:
      assertNever(adjustment, 'adjustment');
  }
}

/** One op as trainer/network/step-layers.ts builds it, layer by layer. */
function addOp(tally: Tally, op: OpPlan): void {
  for (const layer of opLayers(op)) addLayer(tally, layer);
}

/** Each layer keeps its output; a separable one also its depthwise result (input channels). */
function addLayer(tally: Tally, { step, input, output }: PlacedStep): void {
  switch (step.step) {
    case 'separable':
      add(tally, output.height * output.width * input.channels);
      add(tally, elements(output));
      return;
    case 'relu':
    case 'conv':
    case 'depthwise':
    case 'pool':
    case 'bn':
      add(tally, elements(output));
      return;
    default:
      assertNever(step, 'op step');
  }
}

/** ReLU -> pool -> 1x1 conv -> BN -> ReLU -> conv -> BN -> ReLU -> dense. */
function addAuxHead(tally: Tally, aux: AuxHeadPlan): void {
  add(tally, elements(aux.input));
  add(tally, elements(aux.pooled));
  const projected = aux.pooled.height * aux.pooled.width * aux.projectionFilters;
  add(tally, projected, 3);
  add(tally, aux.hiddenFilters, 3);
  add(tally, aux.classes);
}
