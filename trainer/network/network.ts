/**
 * The network builder: a network plan (shared/network-plan.ts) -> a trainable tfjs network in
 * functional style (named tf.Variables in a ParamStore and a forward function). Every layer follows
 * the plan, so the trainable and non-trainable counts equal `complexity()`'s params and BN
 * statistics.
 */
import type { FeatureSource } from '../../shared/cell-plan.ts';
import type { NetworkPlan } from '../../shared/network-plan.ts';
import type { Tensor2D, Tensor4D } from '../tf.ts';
import { activeProfile } from '../profiles/active-profile.ts';
import { BATCH_NORM_SETTINGS } from './batch-norm.ts';
import { buildCell } from './cell-layer.ts';
import { buildAuxHead, buildHead, buildStem } from './heads.ts';
import type { ForwardContext, ForwardMode } from './layer.ts';
import { ParamStore } from './param-store.ts';
import { deriveSeed } from './seeds.ts';

export type { ForwardMode } from './layer.ts';

/** How a network is built and regularised. */
export interface NetworkOptions {
  /** Seeds the initial weights and every dropout / drop-path draw. */
  readonly seed: number;
  /** Dropout rate before the dense layer (0 = off). */
  readonly dropout: number;
  /** ScheduledDropPath final keep probability p (1 = off). */
  readonly dropPathKeep: number;
  /**
   * Recompute each cell during backprop instead of keeping its activations (./checkpoint.ts):
   * about one extra forward pass for several times less memory. Default: the backend profile's
   * choice (on wasm, whose heap stops at 4 GiB; not on tensorflow).
   */
  readonly checkpoint?: boolean;
}

/** The outputs of a forward pass. */
export interface ForwardResult {
  readonly logits: Tensor2D;
  /** The aux head's logits; null when the plan has no aux head. */
  readonly auxLogits: Tensor2D | null;
}

/** Observers of a forward pass, for tests and diagnostics (they must not dispose what they see). */
export interface ForwardHooks {
  readonly stem?: (output: Tensor4D) => void;
  readonly cell?: (index: number, output: Tensor4D) => void;
}

/** A built network. */
export interface Network {
  readonly plan: NetworkPlan;
  readonly params: ParamStore;
  /**
   * Forward pass on NHWC float32 input; call inside tf.tidy. In training mode BN uses batch
   * statistics and updates its moving averages; drop path and dropout apply.
   */
  apply(x: Tensor4D, mode: ForwardMode, hooks?: ForwardHooks): ForwardResult;
  dispose(): void;
}

/** Builds the network `plan` describes, with weights initialised from `options.seed`. */
export function buildNetwork(plan: NetworkPlan, options: NetworkOptions): Network {
  const params = new ParamStore(options.seed);
  const bn = BATCH_NORM_SETTINGS[plan.settings.skeleton];
  const stem = buildStem(params, plan.stem, bn);
  const cellOptions = {
    finalKeep: options.dropPathKeep,
    cells: plan.cells.length,
    checkpoint: options.checkpoint ?? activeProfile().checkpointCells,
  };
  const cells = plan.cells.map((cell) => ({
    plan: cell,
    layer: buildCell(params, cell, bn, cellOptions),
  }));
  const aux = plan.auxHead === null ? null : buildAuxHead(params, plan.auxHead, bn);
  const head = buildHead(params, plan.head, options.dropout);
  let calls = 0;
  return {
    plan,
    params,
    apply(x, mode, hooks = {}) {
      checkInput(plan, x);
      const ctx = forwardContext(mode, deriveSeed(options.seed, 1, calls++));
      const features = new Map<FeatureSource, Tensor4D>([['stem', stem(x, ctx)]]);
      hooks.stem?.(feature(features, 'stem'));
      let auxLogits: Tensor2D | null = null;
      let last = feature(features, 'stem');
      for (const cell of cells) {
        const inputs = cell.plan.inputs.map((input) => feature(features, input.source));
        const { index } = cell.plan;
        last = cell.layer(inputs, ctx);
        features.set(index, last);
        hooks.cell?.(index, last);
        if (aux !== null && index === plan.auxHead?.cell) auxLogits = aux(last, ctx);
      }
      return { logits: head(last, ctx), auxLogits };
    },
    dispose: () => params.dispose(),
  };
}

function feature(features: ReadonlyMap<FeatureSource, Tensor4D>, source: FeatureSource): Tensor4D {
  const x = features.get(source);
  if (x === undefined) throw new Error(`feature ${String(source)} is not computed yet`);
  return x;
}

/** The context of one forward pass: its mode and a stream of seeds derived from `seed`. */
function forwardContext(mode: ForwardMode, seed: number): ForwardContext {
  let site = 0;
  return {
    training: mode.training,
    progress: mode.progress,
    recompute: false,
    nextSeed: () => deriveSeed(seed, site++),
  };
}

function checkInput(plan: NetworkPlan, x: Tensor4D): void {
  const { height, width, channels } = plan.stem.input;
  const [, h, w, c] = x.shape;
  if (x.rank !== 4 || h !== height || w !== width || c !== channels) {
    const expected = `[batch, ${height}, ${width}, ${channels}]`;
    throw new Error(`network input has shape [${x.shape.join(', ')}]; expected ${expected}`);
  }
}
