/**
 * The shape of the RL controller for one search space: one LSTM step per decision slot (2 x 5B),
 * a softmax head per slot, and one embedding table for the tokens fed back. Parameters live in plain
 * Float32Arrays (row-major) so sampling, snapshots and Adam need no tensors.
 *
 * Token rows of the embedding: 0 = the learned start token, then one row per hidden-state index
 * (0 .. 1 + B), per op and per combiner. The two inputs, two ops and both cells share those rows;
 * the LSTM state tells the positions apart.
 */
import { decisionSlots, type DecisionField } from '../../../shared/decisions.ts';
import type { Rng } from '../../../shared/rng.ts';
import type { SearchSpace } from '../../../shared/search-space.ts';

/** The controller's parameters; gates are ordered input, forget, output, candidate. */
export const PARAM_NAMES = ['embedding', 'wx', 'wh', 'bias', 'head', 'headBias'] as const;

/** The name of one parameter array. */
export type ParamName = (typeof PARAM_NAMES)[number];

/** All parameters (or gradients, or Adam moments), one row-major array per name. */
export type PolicyParams = Readonly<Record<ParamName, Float32Array>>;

/** Sizes and index tables of the controller for one space. */
export interface PolicyLayout {
  /** LSTM units H, also the embedding size. */
  readonly units: number;
  /** Decision slots T = 2 x 5B, one LSTM step each. */
  readonly steps: number;
  /** Head width W: the most choices of any slot; a slot's choices beyond its own count are masked. */
  readonly width: number;
  /** Embedding rows: start token plus every token kind. */
  readonly vocab: number;
  /** Valid choices per slot. */
  readonly choices: readonly number[];
  /** Embedding row of choice 0 of each slot's token kind. */
  readonly tokenOffset: readonly number[];
  /** Shape of each parameter. */
  readonly shapes: Readonly<Record<ParamName, readonly number[]>>;
}

/** The controller layout of `space` with `units` LSTM units. */
export function policyLayout(space: SearchSpace, units: number): PolicyLayout {
  const slots = decisionSlots(space);
  const inputRows = 2 + space.blocks;
  const offsetOf: Record<DecisionField, number> = {
    inputA: 1,
    inputB: 1,
    opA: 1 + inputRows,
    opB: 1 + inputRows,
    combine: 1 + inputRows + space.ops.length,
  };
  const choices = slots.map((s) => s.choices);
  const steps = slots.length;
  const width = Math.max(...choices);
  const vocab = 1 + inputRows + space.ops.length + space.combines.length;
  const h = units;
  return {
    units,
    steps,
    width,
    vocab,
    choices,
    tokenOffset: slots.map((s) => offsetOf[s.field]),
    shapes: {
      embedding: [vocab, h],
      wx: [h, 4 * h],
      wh: [h, 4 * h],
      bias: [4 * h],
      head: [steps, h, width],
      headBias: [steps, width],
    },
  };
}

/** The number of values of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Fresh parameters, every value uniform in [-range, range] from `rng` (paper: U(-0.1, 0.1)). */
export function initParams(layout: PolicyLayout, rng: Rng, range: number): PolicyParams {
  return mapParams(layout, (name) => {
    const values = new Float32Array(sizeOf(layout.shapes[name]));
    for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * range;
    return values;
  });
}

/** Parameters (or moments) built name by name, in {@link PARAM_NAMES} order. */
export function mapParams(
  layout: PolicyLayout,
  make: (name: ParamName, size: number) => Float32Array,
): PolicyParams {
  const one = (name: ParamName): Float32Array => make(name, sizeOf(layout.shapes[name]));
  return {
    embedding: one('embedding'),
    wx: one('wx'),
    wh: one('wh'),
    bias: one('bias'),
    head: one('head'),
    headBias: one('headBias'),
  };
}

/** The embedding row fed into each step: the start token, then the token of the previous choice. */
export function inputTokens(layout: PolicyLayout, decisions: readonly number[]): number[] {
  const tokens = [0];
  for (let t = 1; t < layout.steps; t++) {
    tokens.push((layout.tokenOffset[t - 1] ?? 0) + (decisions[t - 1] ?? 0));
  }
  return tokens;
}
