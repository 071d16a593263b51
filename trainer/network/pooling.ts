/**
 * SAME-padded pooling layers, average pooling excluding padding from its divisor as TensorFlow's
 * does. How each backend computes them correctly and fast is its profile's business
 * (../profiles): on wasm composed and corrected, on tensorflow its own kernels.
 */
import type { Shape } from '../../shared/shape.ts';
import { activeProfile } from '../profiles/active-profile.ts';
import type { BackendProfile } from '../profiles/backend-profile.ts';
import type { Tensor4D } from '../tf.ts';
import type { Layer } from './layer.ts';

export { samePadding } from '../profiles/composed-pooling.ts';

/** Max pooling `kernel` x `kernel`, SAME padding (padding never wins the max). */
export function maxPool(kernel: number, stride: number): Layer {
  return perProfile((profile) => profile.maxPool(kernel, stride));
}

/**
 * Average pooling `kernel` x `kernel`, SAME padding, padding excluded from the divisor; `input` is
 * the planned shape.
 */
export function avgPool(kernel: number, stride: number, input: Shape): Layer {
  return perProfile((profile) => profile.avgPool(kernel, stride, input));
}

/** A layer made once per backend profile it runs on (the made function holds its constants). */
function perProfile(make: (profile: BackendProfile) => (x: Tensor4D) => Tensor4D): Layer {
  const made = new Map<BackendProfile, (x: Tensor4D) => Tensor4D>();
  return (x) => {
    const profile = activeProfile();
    let pool = made.get(profile);
    if (pool === undefined) {
      pool = make(profile);
      made.set(profile, pool);
    }
    return pool(x);
  };
}
