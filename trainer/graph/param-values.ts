/**
 * Weights between the eager network and its graph twin: both name a parameter alike
 * (`cell_3/normal/block_2/opA/sep_conv_5x5/layer_0/depthwise`), so a map by name carries them
 * either way — the eager model's initial weights into `GraphTrainer.init`, and a trained graph's
 * `GraphTrainer.state()` back into the eager model (to evaluate, export or checkpoint it).
 */
import type { ParamStore } from '../network/param-store.ts';
import { tf } from '../tf.ts';

/** Every parameter of `store` (trainable and statistics), by name. */
export function paramValues(store: ParamStore): Map<string, Float32Array> {
  return new Map(store.list().map((p) => [p.name, Float32Array.from(p.variable.dataSync())]));
}

/** Assigns each value of `values` to the parameter of that name; throws on a missing name or size. */
export function loadParamValues(
  store: ParamStore,
  values: ReadonlyMap<string, Float32Array>,
): void {
  for (const [name, data] of values) {
    const param = store.get(name);
    if (param === undefined) throw new Error(`the network has no parameter ${name}`);
    if (param.variable.size !== data.length) {
      throw new Error(`parameter ${name} has ${param.variable.size} values; got ${data.length}`);
    }
    const value = tf.tensor(data, param.variable.shape);
    param.variable.assign(value);
    value.dispose();
  }
}
