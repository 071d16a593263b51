/**
 * Training and inference batch norm composed of ops that tfjs-backend-wasm runs fast
 * (./channel-ops.ts): the analytic BN backward through a custom gradient, a few passes over the
 * tensor and no saved intermediates. Used by the wasm and cpu profiles; tfjs has no fused
 * training batch norm of its own.
 */
import { tf } from '../tf.ts';
import type { Tensor, Tensor1D, Tensor4D } from '../tf.ts';
import type { StatisticsSink } from './backend-profile.ts';
import { channelMean, channelSum, scaleShift } from './channel-ops.ts';

/** A [C] tensor of ones for the channels of x. */
const ONES = (x: Tensor4D): Tensor1D => tf.ones([x.shape[3]]);

/**
 * y = (x - mean) / sqrt(var + eps) * gamma + beta with batch statistics. The backward pass is
 * dx = a (dy - mean(dy) - xhat mean(dy xhat)) with a = gamma / sqrt(var + eps), written as
 * dy * a + x * k + e with per-channel k and e; dgamma = sum(dy xhat), dbeta = sum(dy). Only x
 * and the statistics are saved for backprop (tfjs frees every other forward tensor; gamma is a
 * variable, which no tidy frees).
 */
export function composedBatchNormTraining(
  x: Tensor4D,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
  sink: StatisticsSink,
): Tensor4D {
  const [n, h, w] = x.shape;
  const count = n * h * w;
  const op = tf.customGrad((...args) => {
    const save = args[3];
    if (typeof save !== 'function') throw new Error('batchNorm: no save function');
    const mean = channelMean(x);
    const variance = channelMean(tf.square(scaleShift(x, ONES(x), tf.neg(mean))).as4D(...x.shape));
    sink(mean, count > 1 ? tf.mul(variance, count / (count - 1)) : variance);
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
}

/** (x - mean) / sqrt(variance + eps) * gamma + beta as one per-channel scale and shift. */
export function composedBatchNormInference(
  x: Tensor4D,
  gamma: Tensor,
  beta: Tensor,
  mean: Tensor,
  variance: Tensor,
  epsilon: number,
): Tensor4D {
  const a = tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon))).as1D();
  return scaleShift(x, a, tf.sub(beta, tf.mul(mean, a)).as1D());
}
