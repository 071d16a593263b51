/**
 * Adam (Kingma & Ba, 2015) over the controller's Float32Array parameters, in plain JavaScript so its
 * whole state is two arrays per parameter and a step count, snapshotted and restored exactly.
 */
import { PARAM_NAMES, mapParams, type PolicyLayout, type PolicyParams } from './policy-layout.ts';

/** Adam's hyper-parameters other than the learning rate: TensorFlow's defaults. */
export const ADAM = Object.freeze({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });

/** First and second moment estimates (float32, as tfjs keeps them) and the steps taken. */
export interface AdamState {
  readonly m: PolicyParams;
  readonly v: PolicyParams;
  step: number;
}

/** Zero moments, no steps taken. */
export function initAdam(layout: PolicyLayout): AdamState {
  const zeros = (_name: string, size: number): Float32Array => new Float32Array(size);
  return { m: mapParams(layout, zeros), v: mapParams(layout, zeros), step: 0 };
}

/** One Adam step, in place: `params -= lr * mHat / (sqrt(vHat) + epsilon)`. */
export function adamStep(
  params: PolicyParams,
  grads: PolicyParams,
  state: AdamState,
  learningRate: number,
): void {
  state.step += 1;
  const { beta1, beta2, epsilon } = ADAM;
  const correction1 = 1 - beta1 ** state.step;
  const correction2 = 1 - beta2 ** state.step;
  for (const name of PARAM_NAMES) {
    const p = params[name];
    const g = grads[name];
    const m = state.m[name];
    const v = state.v[name];
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] ?? 0;
      const mi = beta1 * (m[i] ?? 0) + (1 - beta1) * gi;
      const vi = beta2 * (v[i] ?? 0) + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] =
        (p[i] ?? 0) - (learningRate * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
    }
  }
}
