/**
 * Momentum SGD (the trainer's optimiser) over every trainable parameter at once: gradients and
 * weights are flattened into one vector each (the backend profile's flattener), L2 weight decay,
 * global-norm clipping and the momentum update are a dozen ops on those vectors, and one split
 * hands each variable its new value. Per parameter that costs one reshape, where tfjs's
 * MomentumOptimizer plus clipping and decay cost about fifteen kernel calls; on the tensorflow
 * backend, where each call costs tens of microseconds, that is most of a step's calls.
 */
import type { Param } from '../network/param-store.ts';
import { activeProfile } from '../profiles/active-profile.ts';
import type { Flattener } from '../profiles/backend-profile.ts';
import { tf } from '../tf.ts';
import type { Tensor } from '../tf.ts';

/** What a step asks of the optimiser besides the gradients. */
export interface UpdateSettings {
  /** L2 decay: the loss gains weightDecay / 2 x sum of squared decayed weights. */
  readonly weightDecay: number;
  /** Global-norm clip (0 = none). */
  readonly gradClipNorm: number;
}

/**
 * accumulation = momentum x accumulation + g; w = w - learningRate x accumulation (tfjs's and
 * TensorFlow's MomentumOptimizer without Nesterov), where g is the gradient plus the decay term,
 * scaled by clip / max(norm, clip).
 */
export class FlatMomentum {
  private readonly variables: readonly tf.Variable[];
  private readonly sizes: readonly number[];
  private readonly flattener: Flattener;
  /** 1 where weight decay applies, else 0. */
  private readonly decayMask: Tensor;
  private readonly accumulation: tf.Variable;
  private learningRate: number;

  constructor(
    params: readonly Param[],
    private readonly momentum: number,
    learningRate: number,
  ) {
    const trainable = params.filter((p) => p.trainable);
    this.variables = trainable.map((p) => p.variable);
    this.sizes = this.variables.map((v) => v.size);
    this.flattener = activeProfile().flattener(this.variables.map((v) => v.shape));
    const mask = new Float32Array(this.sizes.reduce((a, b) => a + b, 0));
    let offset = 0;
    trainable.forEach((p, i) => {
      const size = this.sizes[i] ?? 0;
      if (p.decay) mask.fill(1, offset, offset + size);
      offset += size;
    });
    this.decayMask = tf.keep(tf.tensor1d(mask));
    this.accumulation = tf.tidy(() => tf.variable(tf.zeros([mask.length]), false));
    this.learningRate = learningRate;
  }

  /** The variables in the order gradients are expected. */
  trainable(): readonly tf.Variable[] {
    return this.variables;
  }

  /** Sets the learning rate of the following steps. */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** The weights as one vector (call inside a tidy). */
  flatWeights(): Tensor {
    return this.flattener.flatten(this.variables);
  }

  /** weightDecay / 2 x the sum of squared decayed weights of `flat` (call inside a tidy). */
  decayLoss(flat: Tensor, weightDecay: number): tf.Scalar {
    return tf.mul(tf.sum(tf.mul(tf.square(flat), this.decayMask)), weightDecay / 2);
  }

  /** Applies one step from `grads` (in {@link trainable}'s order) at the weights `flat`. */
  apply(grads: readonly Tensor[], flat: Tensor, settings: UpdateSettings): void {
    tf.tidy(() => {
      let g = this.flattener.flatten(grads);
      if (settings.weightDecay > 0) {
        g = tf.add(g, tf.mul(tf.mul(flat, this.decayMask), settings.weightDecay));
      }
      if (settings.gradClipNorm > 0) {
        const norm = tf.sqrt(tf.sum(tf.square(g)));
        g = tf.mul(g, tf.div(settings.gradClipNorm, tf.maximum(norm, settings.gradClipNorm)));
      }
      const accumulation = tf.add(tf.mul(this.accumulation, this.momentum), g);
      this.accumulation.assign(accumulation);
      const updated = tf.sub(flat, tf.mul(accumulation, this.learningRate));
      const parts = tf.split(updated, [...this.sizes]);
      this.variables.forEach((v, i) => {
        const part = parts[i];
        if (part !== undefined) v.assign(part.reshape(v.shape));
      });
    });
  }

  /** Frees the accumulation and the constants. */
  dispose(): void {
    this.accumulation.dispose();
    this.decayMask.dispose();
    this.flattener.dispose();
  }
}
