/**
 * One op of a block as standard Keras layers: the twin of ./op-layer.ts, made from the same list of
 * layers (./step-layers.ts), so the same ReLU -> conv -> BN order, strides, SAME padding,
 * projections and parameter names, in inference form: no drop path.
 */
import { opLayers, type OpPlan } from '../../shared/cell-plan.ts';
import type { KerasGraph, Sym } from './keras-layers.ts';
import { applySteps } from './step-layers.ts';

/** Applies op `plan.op` to `x`; its layers are named after its weights, `<prefix>/<op>/...`. */
export function applyOp(g: KerasGraph, prefix: string, plan: OpPlan, x: Sym): Sym {
  return applySteps(g, `${prefix}/${plan.op}`, opLayers(plan), x);
}
