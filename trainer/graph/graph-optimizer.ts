/**
 * The trainer's optimiser (trainer/train/flat-momentum.ts) as graph ops after the gradients: L2
 * decay terms, global-norm clipping and one ResourceApplyMomentum per trainable variable, with
 * its momentum slot `<variable>/momentum`; the learning rate is fed per step.
 */
import { DTYPE, type GraphAddon, type GraphOutput } from './graph-addon.ts';
import { attr, type GraphBuilder, type GraphVariable } from './graph-builder.ts';

/**
 * Momentum SGD as tf.train.momentum: accum = momentum * accum + g; var -= lr * accum, where g is
 * the gradient plus `weightDecay` x the weight (decayed variables only), scaled by
 * clip / max(global norm, clip) when `gradClipNorm` > 0 (trainer/train/flat-momentum.ts).
 */
export interface MomentumSettings {
  /** The rate a step uses unless it feeds its own ({@link GraphTrainer.run}). */
  readonly learningRate: number;
  readonly momentum: number;
  /** L2 decay: the reported loss gains weightDecay / 2 x sum of squared decayed weights (0 = off). */
  readonly weightDecay?: number;
  /** Global-norm clip (0 or absent = none). */
  readonly gradClipNorm?: number;
}

/** The ops the optimiser adds: the step's total loss, the rate input and the group to run. */
export interface OptimizerOps {
  readonly total: GraphOutput;
  readonly learningRate: GraphOutput;
  readonly updateOp: string;
}

export const SLOT_SUFFIX = '/momentum';

/** True for an optimiser slot (not a network variable). */
export function isSlot(v: GraphVariable): boolean {
  return !v.trainable && v.name.endsWith(SLOT_SUFFIX);
}

const FLOAT = { T: attr.type(DTYPE.float32) };

/** Gradients of `loss`, decay, clipping and the momentum updates; `extraUpdates` join the group. */
export function addOptimizer(
  addon: GraphAddon,
  b: GraphBuilder,
  loss: GraphOutput,
  extraUpdates: readonly string[],
  settings: MomentumSettings,
): OptimizerOps {
  const params = b.variables.filter((v) => v.trainable);
  const grads = addon.addGradients(
    b.graph,
    'gradients',
    [loss],
    params.map((v) => v.value),
  );
  const decay = settings.weightDecay ?? 0;
  const wd = b.scalar(decay, 'weight_decay');
  // A weight the loss does not reach gets a zero gradient, as the eager step gives it.
  let g = params.map((v, i) => grads[i] ?? b.op1('ZerosLike', [v.value]));
  if (decay > 0) {
    g = g.map((gi, i) => {
      const v = params[i];
      return v?.decay === true ? b.op1('AddV2', [gi, b.op1('Mul', [v.value, wd])]) : gi;
    });
  }
  const clip = settings.gradClipNorm ?? 0;
  if (clip > 0) {
    // sum of squares = 2 x sum of L2Loss; scale = clip / max(norm, clip).
    const half = b.op1('AddN', [g.map((gi) => b.op1('L2Loss', [gi]))]);
    const norm = b.op1('Sqrt', [b.op1('Mul', [half, b.scalar(2)])]);
    const limit = b.scalar(clip, 'grad_clip_norm');
    const scale = b.op1('RealDiv', [limit, b.op1('Maximum', [norm, limit])]);
    g = g.map((gi) => b.op1('Mul', [gi, scale]));
  }
  const learningRate = b.op1(
    'PlaceholderWithDefault',
    [b.scalar(settings.learningRate)],
    { dtype: attr.type(DTYPE.float32), shape: attr.shape([]) },
    { name: 'learning_rate' },
  );
  const momentum = b.scalar(settings.momentum, 'momentum');
  const slot = { trainable: false, decay: false };
  const updates = params.map((v, i) => {
    const accum = b.variable(`${v.name}${SLOT_SUFFIX}`, v.shape, slot);
    const apply = { ...FLOAT, use_locking: attr.bool(false), use_nesterov: attr.bool(false) };
    const inputs = [v.handle, accum.handle, learningRate, g[i] ?? v.value, momentum];
    return b.add('ResourceApplyMomentum', inputs, apply, { name: `${v.name}/apply_momentum` }).name;
  });
  const decayed = params.filter((v) => v.decay);
  const total =
    decay > 0 && decayed.length > 0
      ? b.op1(
          'AddV2',
          [
            loss,
            b.op1('Mul', [b.op1('AddN', [decayed.map((v) => b.op1('L2Loss', [v.value]))]), wd]),
          ],
          {},
          { name: 'total_loss' },
        )
      : loss;
  const updateOp = b.group('train_step', [...updates, ...extraUpdates]);
  return { total, learningRate, updateOp };
}
