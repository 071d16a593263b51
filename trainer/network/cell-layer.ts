/**
 * One cell as a function of its two inputs, built from its plan (cell-plan.ts `CellPlan`): adjust
 * h_i and h_{i-1}, run every block (two ops, each followed by ScheduledDropPath unless it is the
 * identity op, then add or concat), and concatenate the planned output states.
 */
import type { CellOutputPlan, CellPlan, OpPlan } from '../../shared/cell-plan.ts';
import { stateShape } from '../../shared/complexity.ts';
import type { StateIndex } from '../../shared/genotype.ts';
import { tf } from '../tf.ts';
import type { Tensor4D } from '../tf.ts';
import { buildAdjustment } from './adjustment-layer.ts';
import type { BatchNormSettings } from './batch-norm.ts';
import { dropPath, dropPathKeep } from './drop-path.ts';
import type { ForwardContext, Layer } from './layer.ts';
import { checkpoint } from './checkpoint.ts';
import { buildOp } from './op-layer.ts';
import type { ParamStore } from './param-store.ts';
import { deriveSeed } from './seeds.ts';

/** A built cell: [h_i, h_{i-1}] -> the cell's output. */
export type CellLayer = (inputs: readonly Tensor4D[], ctx: ForwardContext) => Tensor4D;

/** Network-wide settings every cell needs. */
export interface CellOptions {
  /** ScheduledDropPath's final keep probability p (1 turns drop path off). */
  readonly finalKeep: number;
  /** C: the number of cells in the network. */
  readonly cells: number;
  /** Recompute the cell during backprop instead of keeping its intermediates (./checkpoint.ts). */
  readonly checkpoint: boolean;
}

/** A layer that reads one hidden state of the cell. */
interface StateLayer {
  readonly state: StateIndex;
  readonly layer: Layer;
}

/**
 * Builds a cell. Weights are named `cell_<index>/<kind>/` + `input_<0|1>/...`,
 * `block_<b>/op<A|B>/<op>/...` or `output_<state>/...` (the state index, not the list position).
 */
export function buildCell(
  store: ParamStore,
  plan: CellPlan,
  bn: BatchNormSettings,
  options: CellOptions,
): CellLayer {
  const first = store.list().length;
  const body = buildBody(store, plan, bn, options);
  const variables = store
    .list()
    .slice(first)
    .filter((p) => p.trainable)
    .map((p) => p.variable);
  return (inputs, ctx) => {
    const seed = ctx.nextSeed(); // one draw per cell, so a recomputation replays the same masks
    const run = (xs: readonly Tensor4D[], recompute: boolean): Tensor4D =>
      body(xs, { ...ctx, recompute, nextSeed: seedStream(seed) });
    if (!ctx.training || !options.checkpoint) return run(inputs, false);
    return checkpoint(run, inputs, variables);
  };
}

/** The cell's forward function: adjusted inputs, blocks, concatenated outputs. */
function buildBody(
  store: ParamStore,
  plan: CellPlan,
  bn: BatchNormSettings,
  options: CellOptions,
): (inputs: readonly Tensor4D[], ctx: ForwardContext) => Tensor4D {
  const at = `cell_${plan.index}/${plan.kind}`;
  const [p0, p1] = plan.inputs;
  const in0 = buildAdjustment(store, `${at}/input_0`, p0.adjustment, p0.input, p0.shape, bn);
  const in1 = buildAdjustment(store, `${at}/input_1`, p1.adjustment, p1.input, p1.shape, bn);
  const keep = (progress: number): number =>
    dropPathKeep(options.finalKeep, plan.index, options.cells, progress);
  const blocks = plan.blocks.map((block, b) => ({
    a: blockOp(store, `${at}/block_${b}/opA`, block.a, bn, keep),
    b: blockOp(store, `${at}/block_${b}/opB`, block.b, bn, keep),
    combine: block.combine,
  }));
  const outputs = plan.outputs.map((out) => outputLayer(store, at, plan, out, bn));
  return (inputs, ctx) => {
    const states: Tensor4D[] = [in0(read(inputs, 0), ctx), in1(read(inputs, 1), ctx)];
    for (const { a, b, combine } of blocks) {
      const ya = a.layer(read(states, a.state), ctx);
      const yb = b.layer(read(states, b.state), ctx);
      states.push(combine === 'add' ? tf.add(ya, yb) : tf.concat([ya, yb], 3));
    }
    const parts = outputs.map((out) => out.layer(read(states, out.state), ctx));
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : tf.concat(parts, 3);
  };
}

/**
 * Seeds derived from `seed` in order: the same stream for the forward pass and its recomputation.
 */
function seedStream(seed: number): () => number {
  let site = 0;
  return () => deriveSeed(seed, site++);
}

/**
 * An op of a block, followed in training by drop path unless it is the identity op (TF-slim: `if
 * operation != 'none'`).
 */
function blockOp(
  store: ParamStore,
  prefix: string,
  plan: OpPlan,
  bn: BatchNormSettings,
  keep: (progress: number) => number,
): StateLayer {
  const layer = buildOp(store, prefix, plan, bn);
  if (plan.op === 'identity') return { state: plan.state, layer };
  return {
    state: plan.state,
    layer: (x, ctx) => {
      const y = layer(x, ctx);
      return ctx.training ? dropPath(y, keep(ctx.progress), ctx.nextSeed()) : y;
    },
  };
}

/** The adjustment of one output state. */
function outputLayer(
  store: ParamStore,
  at: string,
  plan: CellPlan,
  out: CellOutputPlan,
  bn: BatchNormSettings,
): StateLayer {
  const input = stateShape(plan, out.state);
  const prefix = `${at}/output_${out.state}`;
  const layer = buildAdjustment(store, prefix, out.adjustment, input, out.shape, bn);
  return { state: out.state, layer };
}

function read(states: readonly Tensor4D[], state: StateIndex): Tensor4D {
  const x = states[state];
  if (x === undefined) throw new Error(`hidden state ${state} is not computed yet`);
  return x;
}
