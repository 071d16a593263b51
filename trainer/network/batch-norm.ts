/**
 * Batch normalisation with scale as a functional layer. Training mode normalises with the batch's
 * statistics (computed as the backend's profile says: TensorFlow's fused kernel, or composed ops
 * on wasm) and updates the moving averages in place with variable.assign, which is safe inside
 * tf.tidy and tf.variableGrads: the variables keep the new data, all else is freed.
 */
import type { Skeleton } from '../../shared/network-settings.ts';
import { tf } from '../tf.ts';
import type { Tensor, Tensor1D } from '../tf.ts';
import { activeProfile } from '../profiles/active-profile.ts';
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
 * 1e-3 (docs/nasnet.md#ops-and-cell-wiring).
 */
export const BATCH_NORM_SETTINGS: Readonly<Record<Skeleton, BatchNormSettings>> = Object.freeze({
  cifar: Object.freeze({ momentum: 0.9, epsilon: 1e-5 }),
  imagenet: Object.freeze({ momentum: 0.9997, epsilon: 1e-3 }),
});

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
  const update = (mean: Tensor, unbiasedVariance: Tensor): void => {
    movingMean.assign(movingAverage(movingMean, mean, momentum));
    movingVariance.assign(movingAverage(movingVariance, unbiasedVariance, momentum));
  };
  const noUpdate = (): void => undefined;
  return (x, ctx) => {
    const profile = activeProfile();
    if (ctx.training) {
      return profile.batchNormTraining(x, gamma, beta, epsilon, ctx.recompute ? noUpdate : update);
    }
    return profile.batchNormInference(x, gamma, beta, movingMean, movingVariance, epsilon);
  };
}

/** momentum * average + (1 - momentum) * value. */
function movingAverage(average: Tensor, value: Tensor, momentum: number): Tensor1D {
  return tf.add(tf.mul(average, momentum), tf.mul(value, 1 - momentum)).as1D();
}
