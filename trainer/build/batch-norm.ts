/**
 * Batch normalisation with scale as a functional layer. Training mode normalises with the batch's
 * statistics through a custom gradient (the analytic BN backward: a few passes over the tensor and
 * no saved intermediates) and updates the moving averages in place with variable.assign, which is
 * safe inside tf.tidy and tf.variableGrads: the variables keep the new data, all else is freed.
 */
import type { Skeleton } from '../../shared/network-settings.ts';
import { tf } from '../tf.ts';
import type { Tensor, Tensor1D, Tensor4D } from '../tf.ts';
import { channelMean, channelSum, scaleShift } from './channel-ops.ts';
import { constant } from './initializers.ts';
import type { Layer } from './layer.ts';
import { SHIFT_OR_SCALE, STATISTIC, type ParamStore } from './param-store.ts';

/** Moving-average momentum (TF-slim `decay`) and the epsilon added to the variance. */
export interface BatchNormSettings {
  readonly momentum: number;
  readonly epsilon: number;
}

/**
 * TF-slim nasnet.py: `cifar_config` 0.9 / 1e-5; `mobile_` and `large_imagenet_config` 0.9997 /
 * 1e-3.
 */
export const BATCH_NORM_SETTINGS: Readonly<Record<Skeleton, BatchNormSettings>> = Object.freeze({
  cifar: Object.freeze({ momentum: 0.9, epsilon: 1e-5 }),
  imagenet: Object.freeze({ momentum: 0.9997, epsilon: 1e-3 }),
});

/** A [C] tensor of ones for the channels of x. */
const ONES = (x: Tensor4D): Tensor1D => tf.ones([x.shape[3]]);

/**
 * BN over `channels` named `<name>/gamma`, `beta`, `moving_mean`, `moving_variance`. The moving
 * variance is updated with the unbiased batch variance, as TF's fused batch norm (which TF-slim's
 * NASNet uses) does.
 */
export function batchNorm(
  store: ParamStore,
  name: string,
  channels: number,
  settings: BatchNormSettings,
): Layer {
  const gamma = store.create(`${name}/gamma`, [channels], constant(1), SHIFT_OR_SCALE);
  const beta = store.create(`${name}/beta`, [channels], constant(0), SHIFT_OR_SCALE);
  const movingMean = store.create(`${name}/moving_mean`, [channels], constant(0), STATISTIC);
  const movingVariance = store.create(
    `${name}/moving_variance`,
    [channels],
    constant(1),
    STATISTIC,
  );
  const { momentum, epsilon } = settings;
  const update = (mean: Tensor, variance: Tensor, count: number): void => {
    const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
    movingMean.assign(movingAverage(movingMean, mean, momentum));
    movingVariance.assign(movingAverage(movingVariance, unbiased, momentum));
  };
  const train = trainingBatchNorm(epsilon, update);
  const noUpdate = trainingBatchNorm(epsilon, () => undefined);
  return (x, ctx) => {
    if (ctx.training) return (ctx.recompute ? noUpdate : train)(x, gamma, beta);
    const a = tf.mul(gamma, tf.rsqrt(tf.add(movingVariance, epsilon))).as1D();
    return scaleShift(x, a, tf.sub(beta, tf.mul(movingMean, a)).as1D());
  };
}

/** momentum * average + (1 - momentum) * value. */
function movingAverage(average: Tensor, value: Tensor, momentum: number): Tensor1D {
  return tf.add(tf.mul(average, momentum), tf.mul(value, 1 - momentum)).as1D();
}

/**
 * y = (x - mean) / sqrt(var + eps) * gamma + beta with batch statistics. The backward pass is
 * dx = a (dy - mean(dy) - xhat mean(dy xhat)) with a = gamma / sqrt(var + eps), written as
 * dy * a + x * k + e with per-channel k and e; dgamma = sum(dy xhat), dbeta = sum(dy). Only x
 * and the statistics are saved for backprop (tfjs frees every other forward tensor; gamma is a
 * variable, which no tidy frees).
 */
function trainingBatchNorm(
  epsilon: number,
  update: (mean: Tensor, variance: Tensor, count: number) => void,
): (x: Tensor4D, gamma: Tensor, beta: Tensor) => Tensor4D {
  return (x, gamma, beta) => {
    const [n, h, w] = x.shape;
    const count = n * h * w;
    const op = tf.customGrad((...args) => {
      const save = args[3];
      if (typeof save !== 'function') throw new Error('batchNorm: no save function');
      const mean = channelMean(x);
      const variance = channelMean(
        tf.square(scaleShift(x, ONES(x), tf.neg(mean))).as4D(...x.shape),
      );
      update(mean, variance, count);
      const invStd = tf.rsqrt(tf.add(variance, epsilon)).as1D();
      const a = tf.mul(gamma, invStd).as1D();
      save([x, mean, invStd]);
      const value = scaleShift(x, a, tf.sub(beta, tf.mul(mean, a)).as1D());
      const gradFunc = (dy: Tensor4D, saved: Tensor[]): Tensor[] => {
        const [xs, m, s] = saved;
        if (xs === undefined || m === undefined || s === undefined) {
          throw new Error('batchNorm: the forward tensors were not saved');
        }
        const x4 = xs.as4D(...x.shape);
        const sumDy = channelSum(dy);
        const dGamma = tf.mul(s, tf.sub(channelSum(tf.mul(dy, x4)), tf.mul(m, sumDy)));
        const scale = tf.mul(gamma, s).as1D();
        const k = tf.mul(tf.mul(scale, s), tf.div(dGamma, -count)).as1D();
        const e = tf.sub(tf.mul(scale, tf.div(sumDy, -count)), tf.mul(k, m)).as1D();
        const dx = tf.add(scaleShift(dy, scale, null), scaleShift(x4, k, e));
        return [dx, dGamma, sumDy];
      };
      return { value, gradFunc };
    });
    return op(x, gamma, beta);
  };
}
