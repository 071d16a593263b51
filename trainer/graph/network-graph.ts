/**
 * The network as a TensorFlow training graph, built by walking the same network plan
 * (shared/network-plan.ts) trainer/network/network.ts walks: stem, cells (adjusted inputs, blocks
 * of the op table's placed steps, add or concat, adjusted outputs), head, and the mean softmax
 * cross-entropy. Every variable has the eager parameter's name, shape and role, so weights copy
 * both ways (`GraphTrainer.init` from `ParamStore`, `GraphTrainer.state` back).
 *
 * Also built: the aux head and its weighted loss, label smoothing, ScheduledDropPath (masks from a
 * fed seed: see ./graph-drop-path.ts), and an inference forward on the same variables. Not yet:
 * dropout before the dense layer (refused, so the two builds cannot silently differ).
 */
import {
  factorizedHalves,
  opLayers,
  type Adjustment,
  type CellPlan,
  type FeatureSource,
} from '../../shared/cell-plan.ts';
import type { NetworkPlan } from '../../shared/network-plan.ts';
import { assertNever } from '../../shared/ops.ts';
import { BATCH_NORM_SETTINGS } from '../network/batch-norm.ts';
import { DTYPE, type GraphAddon, type GraphOutput } from './graph-addon.ts';
import { GraphBuilder } from './graph-builder.ts';
import {
  batchNorm,
  conv,
  relu,
  shapeOf,
  shiftedGrid,
  subsample,
  type NetGraph,
} from './graph-layers.ts';
import { cellKeep, dropPathGraph, dropPathInputs, type DropPathInputs } from './graph-drop-path.ts';
import { auxHeadGraph, headGraph, lossGraph } from './graph-heads.ts';
import { applyStepGraphs } from './graph-steps.ts';
import { GraphTrainingError, type EvaluationGraph, type ForwardGraph } from './train-graph.ts';

/** What the graph is built for besides the plan. */
export interface NetworkGraphOptions {
  /** Examples per training step (the training graph's shapes are static). */
  readonly batch: number;
  /** ScheduledDropPath's final keep probability (1 = off); progress and seed are fed per step. */
  readonly dropPathKeep: number;
  /** Dropout before the dense layer; only 0 is built so far. */
  readonly dropout: number;
  /** Label smoothing of the targets (default 0). */
  readonly labelSmoothing?: number;
  /** Weight of the aux head's loss where the plan has one (default 0). */
  readonly auxWeight?: number;
}

/**
 * Builds the training forward graph of `plan` — inputs `images`, `labels`, and drop path's
 * `progress` and `seed` (defaults 0); metric `correct` — and beside it, on the same variables, the inference
 * forward (`evaluation`: inputs `eval_images`, `eval_labels` of any batch size, BN on the moving
 * statistics, summed cross-entropy and hits).
 */
export function buildNetworkGraph(
  addon: GraphAddon,
  plan: NetworkPlan,
  options: NetworkGraphOptions,
): ForwardGraph {
  if (options.dropout !== 0) {
    throw new GraphTrainingError(`the graph step does not build dropout (${options.dropout}) yet`);
  }
  const b = new GraphBuilder(addon);
  const bn = BATCH_NORM_SETTINGS[plan.settings.skeleton];
  const g: NetGraph = { b, bn, training: true, updates: [] };
  const { height, width, channels } = plan.stem.input;
  const images = b.placeholder('images', [options.batch, height, width, channels]);
  const labels = b.placeholder('labels', [options.batch], DTYPE.int32);
  // Always inputs, so a trainer feeds every step alike; without drop path nothing reads them.
  const random = dropPathInputs(b);
  const drop =
    options.dropPathKeep < 1
      ? { inputs: random, finalKeep: options.dropPathKeep, sites: { next: 0 } }
      : null;
  const { logits, auxLogits } = forwardGraph(g, plan, images, drop, options.batch);
  const { loss, correct } = lossGraph(g, logits, auxLogits, labels, {
    classes: plan.head.classes,
    labelSmoothing: options.labelSmoothing ?? 0,
    auxWeight: options.auxWeight ?? 0,
  });
  const inputs = { images, labels, ...random };
  const evaluation = inferenceGraph({ b, bn, training: false, updates: [] }, plan);
  return { builder: b, inputs, loss, updates: g.updates, metrics: { correct }, evaluation };
}

/** The inference forward on the training forward's variables, fed batches of any size. */
function inferenceGraph(g: NetGraph, plan: NetworkPlan): EvaluationGraph {
  const { height, width, channels } = plan.stem.input;
  const images = g.b.placeholder('eval_images', [-1, height, width, channels]);
  const labels = g.b.placeholder('eval_labels', [-1], DTYPE.int32);
  const { logits } = forwardGraph(
    { ...g, training: false },
    { ...plan, auxHead: null },
    images,
    null,
    -1,
  );
  const { loss, correct } = lossGraph(g, logits, null, labels, {
    classes: plan.head.classes,
    labelSmoothing: 0,
    auxWeight: 0,
    reduce: 'sum',
  });
  return { inputs: { images, labels }, loss, correct };
}

/** Drop path across the network: the fed inputs, the final keep probability, a site counter. */
interface NetworkDropPath {
  readonly inputs: DropPathInputs;
  readonly finalKeep: number;
  readonly sites: { next: number };
}

/** Stem, cells (the aux head after its cell) and head: the logits of `images`. */
function forwardGraph(
  g: NetGraph,
  plan: NetworkPlan,
  images: GraphOutput,
  drop: NetworkDropPath | null,
  batch: number,
): { logits: GraphOutput; auxLogits: GraphOutput | null } {
  const stem = plan.stem;
  const stemConv = conv(g, 'stem/conv', images, [stem.kernel, stem.kernel], stem.filters, {
    strides: [stem.stride, stem.stride],
    padding: stem.padding === 'same' ? 'SAME' : 'VALID',
  });
  const features = new Map<FeatureSource, GraphOutput>([
    ['stem', batchNorm(g, 'stem/bn', stemConv)],
  ]);
  let last = feature(features, 'stem');
  let auxLogits: GraphOutput | null = null;
  for (const cell of plan.cells) {
    const keep =
      drop === null
        ? null
        : {
            inputs: drop.inputs,
            keep: cellKeep(g.b, drop.inputs, drop.finalKeep, cell.index, plan.cells.length),
            sites: drop.sites,
          };
    const [s0, s1] = cell.inputs.map((input) => feature(features, input.source));
    if (s0 === undefined || s1 === undefined) throw new Error('a cell has two inputs');
    last = cellGraph(g, cell, [s0, s1], keep);
    features.set(cell.index, last);
    if (plan.auxHead !== null && cell.index === plan.auxHead.cell) {
      auxLogits = auxHeadGraph(g, plan.auxHead, last, batch);
    }
  }
  return { logits: headGraph(g, plan.head, last), auxLogits };
}

/** A cell's drop path: the fed inputs, the cell's keep probability, the network's site counter. */
interface CellDropPath {
  readonly inputs: DropPathInputs;
  readonly keep: GraphOutput;
  readonly sites: { next: number };
}

function feature(features: ReadonlyMap<FeatureSource, GraphOutput>, source: FeatureSource) {
  const x = features.get(source);
  if (x === undefined) throw new Error(`feature ${String(source)} is not built yet`);
  return x;
}

/** One cell (cell-layer.ts `buildBody`), weights under `cell_<index>/<kind>/`. */
function cellGraph(
  g: NetGraph,
  plan: CellPlan,
  inputs: readonly [GraphOutput, GraphOutput],
  drop: CellDropPath | null,
) {
  const at = `cell_${plan.index}/${plan.kind}`;
  const [p0, p1] = plan.inputs;
  const states: GraphOutput[] = [
    adjust(g, `${at}/input_0`, p0.adjustment, inputs[0], p0.shape.channels),
    adjust(g, `${at}/input_1`, p1.adjustment, inputs[1], p1.shape.channels),
  ];
  plan.blocks.forEach((block, b) => {
    const [ya, yb] = (['a', 'b'] as const).map((side) => {
      const op = block[side];
      const prefix = `${at}/block_${b}/op${side.toUpperCase()}/${op.op}`;
      const y = applyStepGraphs(g, prefix, opLayers(op), read(states, op.state));
      // TF-slim drops every op's output but the identity's (cell-layer.ts `blockOp`).
      if (drop === null || op.op === 'identity') return y;
      const batch = shapeOf(g, y)[0];
      return dropPathGraph(g.b, drop.inputs, y, drop.keep, drop.sites.next++, batch);
    });
    if (ya === undefined || yb === undefined) throw new Error('a block has two ops');
    states.push(
      block.combine === 'add'
        ? g.b.op1('AddV2', [ya, yb])
        : g.b.op1('ConcatV2', [[ya, yb], axis(g)]),
    );
  });
  const parts = plan.outputs.map((out) =>
    adjust(
      g,
      `${at}/output_${out.state}`,
      out.adjustment,
      read(states, out.state),
      out.shape.channels,
    ),
  );
  const [only] = parts;
  return parts.length === 1 && only !== undefined ? only : g.b.op1('ConcatV2', [parts, axis(g)]);
}

/** The channel axis as an int32 scalar. */
function axis(g: NetGraph): GraphOutput {
  return g.b.constant({ dtype: DTYPE.int32, shape: [], data: Int32Array.of(3) }, 'axis');
}

function read(states: readonly GraphOutput[], state: number): GraphOutput {
  const x = states[state];
  if (x === undefined) throw new Error(`hidden state ${state} is not built yet`);
  return x;
}

/**
 * An adjustment (adjustment-layer.ts `buildAdjustment`): [ReLU ->] 1x1 conv -> BN, or [ReLU ->]
 * factorized reduction -> BN; weights `<prefix>/conv`, `<prefix>/path_<1|2>/conv`, `<prefix>/bn`.
 */
function adjust(
  g: NetGraph,
  prefix: string,
  adjustment: Adjustment,
  x: GraphOutput,
  cout: number,
): GraphOutput {
  switch (adjustment.kind) {
    case 'none':
      return x;
    case 'conv_1x1': {
      const input = adjustment.relu ? relu(g, x) : x;
      return batchNorm(g, `${prefix}/bn`, conv(g, `${prefix}/conv`, input, [1, 1], cout));
    }
    case 'factorized_reduction': {
      const input = adjustment.relu ? relu(g, x) : x;
      return batchNorm(g, `${prefix}/bn`, factorizedReduction(g, prefix, input, cout));
    }
    default:
      return assertNever(adjustment, 'adjustment');
  }
}

/** Path 1: 1x1 conv of pixels (2r, 2c); path 2: of pixels (2r + 1, 2c + 1); concatenated. */
function factorizedReduction(g: NetGraph, prefix: string, x: GraphOutput, cout: number) {
  const [first, second] = factorizedHalves(cout);
  const b = conv(g, `${prefix}/path_2/conv`, shiftedGrid(g, x), [1, 1], second);
  if (first === 0) return b;
  const a = conv(g, `${prefix}/path_1/conv`, subsample(g, x, [2, 2]), [1, 1], first);
  return g.b.op1('ConcatV2', [[a, b], axis(g)]);
}
