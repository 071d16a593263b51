/**
 * The graph twin of trainer/network/step-layers.ts: one graph builder per layer kind of
 * shared/op-step.ts, in a table the compiler checks for every kind, so an op is built from the
 * same list of placed steps (cell-plan.ts `opLayers`) the eager builder, the Keras export and the
 * cost count read. A step's weights are named `<op prefix>/<step name>` as there.
 */
import type { OpStep, OpStepKind, PlacedStep } from '../../shared/op-step.ts';
import type { GraphOutput } from './graph-addon.ts';
import { batchNorm, conv, depthwise, pool, relu, type NetGraph } from './graph-layers.ts';

type StepByKind = { readonly [S in OpStep as S['step']]: S };

/** Builds one step of kind K on `x`; its weights go under `path`. */
type StepGraph<S> = (g: NetGraph, step: S, path: string, x: GraphOutput) => GraphOutput;

/** One graph builder per layer kind, each typed by that kind's step. */
export type StepGraphTable = { readonly [K in OpStepKind]: StepGraph<StepByKind[K]> };

/** The graph builder of every layer kind. */
export const STEP_GRAPHS: StepGraphTable = Object.freeze({
  relu: (g, _, __, x) => relu(g, x),
  conv: (g, s, path, x) =>
    conv(g, path, x, s.kernel, s.filters, { strides: s.strides, dilation: s.dilation }),
  depthwise: (g, s, path, x) => depthwise(g, path, x, s.kernel, s.strides),
  separable: (g, s, path, x) => {
    const k = s.kernel;
    const spread = depthwise(g, `${path}/depthwise`, x, [k, k], [s.stride, s.stride]);
    return conv(g, `${path}/pointwise`, spread, [1, 1], s.filters);
  },
  pool: (g, s, _, x) => pool(g, s.pool, x, s.kernel, s.stride),
  bn: (g, _, path, x) => batchNorm(g, path, x),
} satisfies StepGraphTable);

/** The builder of `kind` (typed so that it accepts that kind's step). */
function graphOf<K extends OpStepKind>(kind: K): StepGraph<StepByKind[K]> {
  return STEP_GRAPHS[kind];
}

/** The placed steps applied to `x` in order, weights under `at`; no steps is the identity. */
export function applyStepGraphs(
  g: NetGraph,
  at: string,
  layers: readonly PlacedStep[],
  x: GraphOutput,
): GraphOutput {
  return layers.reduce((y, p) => graphOf(p.step.step)(g, p.step, `${at}/${p.step.name}`, y), x);
}
