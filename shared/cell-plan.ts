/**
 * The plan of one cell inside a network: how its two inputs are adjusted, the shape every op reads
 * and writes, and which states are concatenated as its output. It follows the released TF-slim
 * NASNet code (nets/nasnet/nasnet_utils.py, `NasNetABaseCell`): `_cell_base`, `_reduce_prev_layer`,
 * `_apply_conv_operation` and `_combine_unused_states`.
 */
import { InvalidGenotypeError, type Violation } from './errors.ts';
import {
  cellOutputStates,
  stateLabel,
  type Cell,
  type CellName,
  type StateIndex,
} from './genotype.ts';
import { placeSteps, type PlacedStep } from './op-step.ts';
import { isOpName, opSpec, opSteps, specProjects, type OpName, type OpSpec } from './ops.ts';
import type { Combine } from './search-space.ts';
import { sameShape, sameSpatialSize, type Shape } from './shape.ts';

/** Where a cell input comes from: the stem's output, or the output of the cell with that build index. */
export type FeatureSource = 'stem' | number;

/**
 * How a tensor is brought to the shape a cell needs. `conv_1x1` is [ReLU ->] 1x1 conv -> BN;
 * `factorized_reduction` is [ReLU ->] the stride-2 two-path reduction (see {@link factorizedHalves}) -> BN.
 */
export type Adjustment =
  | { readonly kind: 'none' }
  | { readonly kind: 'conv_1x1'; readonly relu: boolean }
  | { readonly kind: 'factorized_reduction'; readonly relu: boolean };

/** One of the two cell inputs: the tensor read, its adjustment, and the resulting hidden state's shape. */
export interface CellInputPlan {
  /** The tensor read; for a cell without h_{i-1} (the first after the stem) state 1 is h_i's raw tensor. */
  readonly source: FeatureSource;
  /** The shape of the tensor read, before the adjustment. */
  readonly input: Shape;
  readonly adjustment: Adjustment;
  /** The hidden state's shape (after the adjustment). */
  readonly shape: Shape;
}

/** One op of a block: the state it reads, its stride (2 only for a cell input of a reduction cell) and shapes. */
export interface OpPlan {
  readonly state: StateIndex;
  readonly op: OpName;
  readonly stride: 1 | 2;
  readonly input: Shape;
  readonly output: Shape;
}

/** One block: its two ops and the combined output (add keeps F channels; concat sums them). */
export interface BlockPlan {
  readonly a: OpPlan;
  readonly b: OpPlan;
  readonly combine: Combine;
  readonly output: Shape;
}

/** One state concatenated into the cell's output, with the adjustment it gets first. */
export interface CellOutputPlan {
  readonly state: StateIndex;
  readonly adjustment: Adjustment;
  readonly shape: Shape;
}

/** Where a cell sits: one of the two ImageNet stem cells, or stack 0, 1 or 2 (reduction cells open 1 and 2). */
export type CellPosition = 'stem' | 0 | 1 | 2;

/** Everything a network builder needs to build one cell; JSON-able. */
export interface CellPlan {
  /** Build order, stem cells included (the `cell_num` of ScheduledDropPath). */
  readonly index: number;
  readonly kind: CellName;
  readonly position: CellPosition;
  /** Per-branch filters F of this cell. */
  readonly filters: number;
  /** h_i (state 0) and h_{i-1} (state 1). */
  readonly inputs: readonly [CellInputPlan, CellInputPlan];
  readonly blocks: readonly BlockPlan[];
  readonly outputs: readonly CellOutputPlan[];
  readonly output: Shape;
}

/** What the network knows when it reaches a cell. */
export interface CellContext {
  readonly index: number;
  readonly kind: CellName;
  readonly position: CellPosition;
  readonly filters: number;
  readonly current: { readonly source: FeatureSource; readonly shape: Shape };
  /** null for the first cell after the stem (TF-slim's `cell_outputs = [None, stem]`). */
  readonly previous: { readonly source: FeatureSource; readonly shape: Shape } | null;
}

const NONE: Adjustment = Object.freeze({ kind: 'none' });

/** Channels of the two paths of a factorized reduction to `filters` (odd counts give path 2 the extra one). */
export function factorizedHalves(filters: number): readonly [number, number] {
  const half = Math.floor(filters / 2);
  return [half, half + (filters % 2)];
}

/**
 * True when identity or pooling needs its 1x1 conv -> BN projection (TF-slim `_apply_conv_operation`);
 * convolutions reach `filters` themselves. Each op kind's record in ops.ts decides.
 */
export function opProjects(
  spec: OpSpec,
  inChannels: number,
  filters: number,
  stride: number,
): boolean {
  return specProjects(spec, { cin: inChannels, filters, stride });
}

/** The layers of one planned op with their shapes; throws if they do not end in the planned output. */
export function opLayers(op: OpPlan): readonly PlacedStep[] {
  const site = { cin: op.input.channels, filters: op.output.channels, stride: op.stride };
  const layers = placeSteps(opSteps(opSpec(op.op), site), op.input);
  const end = layers[layers.length - 1]?.output ?? op.input;
  if (!sameSpatialSize(end, op.output) || end.channels !== op.output.channels) {
    const [got, want] = [end, op.output].map((s) => `${s.height}x${s.width}x${s.channels}`);
    throw new Error(`op ${op.op}: its layers end in ${got}, the plan needs ${want}`);
  }
  return layers;
}

/** Plans one cell of `genotype[context.kind]`; throws InvalidGenotypeError for states a block cannot read. */
export function planCell(cell: Cell, context: CellContext): CellPlan {
  const { index, kind, position, filters } = context;
  const inputs = planInputs(context);
  const states: Shape[] = [inputs[0].shape, inputs[1].shape];
  const violations: Violation[] = [];
  const blocks: BlockPlan[] = [];
  cell.blocks.forEach((block, b) => {
    const at = `${kind}.blocks[${b}]`;
    const a = planOp(block.inputA, block.opA, states, context, `${at}.inputA`, violations);
    const o = planOp(block.inputB, block.opB, states, context, `${at}.inputB`, violations);
    if (a === undefined || o === undefined) {
      states.push(inputs[0].shape); // keeps later state indices aligned while errors are collected
      return;
    }
    const channels = block.combine === 'add' ? filters : a.output.channels + o.output.channels;
    const output = sameShape(a.output, 1, channels);
    blocks.push({ a, b: o, combine: block.combine, output });
    states.push(output);
  });
  if (violations.length > 0) throw new InvalidGenotypeError(violations);
  const outputs = planOutputs(cellOutputStates(cell), states, kind, filters);
  let channels = 0;
  for (const out of outputs) channels += out.shape.channels;
  const last = states[states.length - 1] ?? inputs[0].shape;
  const output = sameShape(last, 1, channels);
  return { index, kind, position, filters, inputs, blocks, outputs, output };
}

/** `_cell_base` and `_reduce_prev_layer`: h_i always gets ReLU -> 1x1 conv -> BN; h_{i-1} only what it needs. */
function planInputs(context: CellContext): readonly [CellInputPlan, CellInputPlan] {
  const { current, previous, filters } = context;
  const hi: CellInputPlan = {
    source: current.source,
    input: current.shape,
    adjustment: { kind: 'conv_1x1', relu: true },
    shape: sameShape(current.shape, 1, filters),
  };
  if (previous === null) {
    const raw = current.shape;
    return [hi, { source: current.source, input: raw, adjustment: NONE, shape: raw }];
  }
  const what = `cell ${context.index} h_{i-1}`;
  const fitted = fit(previous.shape, current.shape, filters, true, true, what);
  return [hi, { source: previous.source, input: previous.shape, ...fitted }];
}

/**
 * The adjustment that brings `input` to the height and width of `target`: factorized reduction when
 * they differ, else (if `channels`) a 1x1 conv when its channels differ from `filters`, else none.
 */
function fit(
  input: Shape,
  target: Shape,
  filters: number,
  relu: boolean,
  channels: boolean,
  what: string,
): { adjustment: Adjustment; shape: Shape } {
  if (!sameSpatialSize(input, target)) {
    const shape = sameShape(input, 2, filters);
    if (!sameSpatialSize(shape, target)) {
      const [h, w] = [target.height, target.width];
      throw new Error(`${what}: ${input.height}x${input.width} cannot be reduced to ${h}x${w}`);
    }
    return { adjustment: { kind: 'factorized_reduction', relu }, shape };
  }
  if (channels && input.channels !== filters) {
    return { adjustment: { kind: 'conv_1x1', relu }, shape: sameShape(input, 1, filters) };
  }
  return { adjustment: NONE, shape: input };
}

/** One op: stride 2 iff a reduction cell's op reads a cell input; output ceil(H/s) x ceil(W/s) x F. */
function planOp(
  state: StateIndex,
  op: OpName,
  states: readonly Shape[],
  context: CellContext,
  path: string,
  violations: Violation[],
): OpPlan | undefined {
  const input = Number.isInteger(state) ? states[state] : undefined;
  if (input === undefined) {
    const message = `state ${String(state)} is not available; allowed: 0..${states.length - 1}`;
    violations.push({ path, message });
  }
  if (!isOpName(op)) {
    const message = `unknown op ${JSON.stringify(op)}`;
    violations.push({ path: path.replace(/input([AB])$/, 'op$1'), message });
  }
  if (input === undefined || !isOpName(op)) return undefined;
  const stride = context.kind === 'reduction' && state < 2 ? 2 : 1;
  return { state, op, stride, input, output: sameShape(input, stride, context.filters) };
}

/**
 * `_combine_unused_states`: a state whose size differs from the cell's output (a cell input of a
 * reduction cell) gets a stride-2 factorized reduction to F; a cell input whose channels differ from
 * F (h_i's raw value reused as h_{i-1}) gets the stride-1 form, 1x1 conv -> BN. Neither has a ReLU.
 * Block outputs (F or, after concat, more channels) are concatenated as they are; TF-slim compares
 * with the last block's channels instead, which is the same rule whenever every combine is add.
 */
function planOutputs(
  chosen: readonly StateIndex[],
  states: readonly Shape[],
  kind: CellName,
  filters: number,
): CellOutputPlan[] {
  const final = states[states.length - 1];
  const violations: Violation[] = [];
  const outputs: CellOutputPlan[] = [];
  chosen.forEach((state, k) => {
    const shape = Number.isInteger(state) ? states[state] : undefined;
    if (shape === undefined || final === undefined) {
      const message = `state ${stateLabel(state)} does not exist; allowed: 0..${states.length - 1}`;
      violations.push({ path: `${kind}.output[${k}]`, message });
      return;
    }
    const what = `${kind} cell output state ${state}`;
    outputs.push({ state, ...fit(shape, final, filters, false, state < 2, what) });
  });
  if (chosen.length === 0) {
    violations.push({ path: `${kind}.output`, message: 'a cell needs at least one output state' });
  }
  if (violations.length > 0) throw new InvalidGenotypeError(violations);
  return outputs;
}
