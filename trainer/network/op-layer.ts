/**
 * The layer of one op of a block, built from its plan (cell-plan.ts `OpPlan`) from the layers its
 * kind's record lists (shared/ops.ts), the same list shared/op-cost.ts counts, so that parameters
 * match `complexity()`. Convolutions follow ReLU -> conv -> BN without biases (as TF-slim's
 * `nasnet_utils.py`; see docs/nasnet.md#ops-and-cell-wiring).
 */
import { opLayers, type OpPlan } from '../../shared/cell-plan.ts';
import type { BatchNormSettings } from './batch-norm.ts';
import type { Layer } from './layer.ts';
import type { ParamStore } from './param-store.ts';
import { buildSteps } from './step-layers.ts';

/** Builds op `plan.op`; its weights are named `<prefix>/<op name>/...`. */
export function buildOp(
  store: ParamStore,
  prefix: string,
  plan: OpPlan,
  bn: BatchNormSettings,
): Layer {
  return buildSteps(store, `${prefix}/${plan.op}`, opLayers(plan), bn);
}
