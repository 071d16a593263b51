/**
 * Parameter and multiply-add counts of a genotype stacked into a network, computed by walking its
 * network plan (no tensors are built). `params + bnStatistics` is what tfjs `model.countParams()`
 * reports for the same network. NASNet-A's published counts it reproduces:
 * docs/nasnet.md#published-sizes.
 */
import type { CellPlan } from './cell-plan.ts';
import type { Genotype, StateIndex } from './genotype.ts';
import {
  addBatchNorm,
  addConv,
  addCost,
  addDense,
  zeroCost,
  type Cost,
  type CostTotal,
} from './layer-cost.ts';
import { planNetwork, type AuxHeadPlan, type NetworkPlan, type StemPlan } from './network-plan.ts';
import type { NetworkSettingsInput } from './network-settings.ts';
import { addAdjustmentCost, addOpCost } from './op-cost.ts';
import type { Shape } from './shape.ts';

/** Totals of a network and the same counts part by part (cells in build order). */
export interface Complexity extends Cost {
  readonly parts: {
    readonly stem: Cost;
    readonly cells: readonly Cost[];
    /** null when the network has no auxiliary head. */
    readonly auxHead: Cost | null;
    readonly head: Cost;
  };
}

export type { Cost } from './layer-cost.ts';

/** Counts parameters, BN statistics and multiply-adds of `genotype` in the network `settings` describe. */
export function complexity(genotype: Genotype, settings: NetworkSettingsInput): Complexity {
  return planComplexity(planNetwork(genotype, settings));
}

/** Counts parameters, BN statistics and multiply-adds of a planned network. */
export function planComplexity(plan: NetworkPlan): Complexity {
  const total = zeroCost();
  const stem = stemCost(plan.stem);
  addCost(total, stem);
  const cells = plan.cells.map((cell) => {
    const cost = cellCost(cell);
    addCost(total, cost);
    return cost;
  });
  const auxHead = plan.auxHead === null ? null : auxHeadCost(plan.auxHead);
  if (auxHead !== null) addCost(total, auxHead);
  const head = zeroCost();
  addDense(head, plan.head.input.channels, plan.head.classes);
  addCost(total, head);
  return { ...total, parts: { stem, cells, auxHead, head } };
}

/** The stem conv (no bias) and its BN. */
function stemCost(stem: StemPlan): CostTotal {
  const total = zeroCost();
  const { height, width, channels } = stem.output;
  addConv(total, height, width, stem.kernel, stem.kernel, stem.input.channels, channels);
  addBatchNorm(total, channels);
  return total;
}

/** Input adjustments, every op of every block, and the adjustments of output states. */
function cellCost(cell: CellPlan): CostTotal {
  const total = zeroCost();
  for (const input of cell.inputs)
    addAdjustmentCost(total, input.adjustment, input.input, input.shape);
  for (const block of cell.blocks) {
    addOpCost(total, block.a);
    addOpCost(total, block.b);
  }
  for (const out of cell.outputs) {
    addAdjustmentCost(total, out.adjustment, stateShape(cell, out.state), out.shape);
  }
  return total;
}

/** The shape of hidden state `state` of a planned cell. */
export function stateShape(cell: CellPlan, state: StateIndex): Shape {
  const shape = state < 2 ? cell.inputs[state]?.shape : cell.blocks[state - 2]?.output;
  if (shape === undefined) throw new Error(`cell ${cell.index} has no state ${state}`);
  return shape;
}

/** 1x1 projection -> BN, pooled-size conv -> BN, dense with bias (TF-slim `_build_aux_head`). */
function auxHeadCost(aux: AuxHeadPlan): CostTotal {
  const total = zeroCost();
  const { height, width, channels } = aux.pooled;
  addConv(total, height, width, 1, 1, channels, aux.projectionFilters);
  addBatchNorm(total, aux.projectionFilters);
  addConv(total, 1, 1, height, width, aux.projectionFilters, aux.hiddenFilters);
  addBatchNorm(total, aux.hiddenFilters);
  addDense(total, aux.hiddenFilters, aux.classes);
  return total;
}
