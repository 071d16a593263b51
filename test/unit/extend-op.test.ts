/**
 * A new op kind needs its record and nothing else: a toy `scale` kind, defined here with the public
 * record type (ReLU, then a learned per-channel scale, then a 1x1 conv -> BN projection when the
 * channels change), goes through the same generic functions as the table's kinds. Its counted
 * parameters equal what its tfjs layer creates, the layer trains, and its Keras twin computes the
 * same values from the same weights.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStepsCost } from '../../shared/op-cost.ts';
import { bnStep, convStep, placeSteps, reluStep, type OpSite } from '../../shared/op-step.ts';
import { kindSteps, type OpKindRecord } from '../../shared/ops.ts';
import { sameShape, type Shape } from '../../shared/shape.ts';
import { zeroCost } from '../../shared/layer-cost.ts';
import { BATCH_NORM_SETTINGS } from '../../trainer/network/batch-norm.ts';
import { WeightBinder } from '../../trainer/network/keras-weights.ts';
import type { ForwardContext } from '../../trainer/network/layer.ts';
import { ParamStore } from '../../trainer/network/param-store.ts';
import { applySteps, buildSteps } from '../../trainer/network/step-layers.ts';
import { tf } from '../../trainer/tf.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

/** The toy kind's spec: no parameters besides its kind. */
interface ScaleSpec {
  readonly kind: 'scale';
}

/** The toy kind's record, exactly what a new kind in shared/ops.ts `OP_KINDS` would hold. */
const SCALE: OpKindRecord<ScaleSpec> = {
  projects: (_, { cin, filters }) => cin !== filters,
  steps: (_, { filters, stride }, projects) => [
    reluStep(),
    { step: 'depthwise', name: 'scale', kernel: [1, 1], strides: [stride, stride] },
    ...(projects ? [convStep('conv', [1, 1], filters), bnStep()] : []),
  ],
};

const BN = BATCH_NORM_SETTINGS.cifar;
const EVAL: ForwardContext = { training: false, progress: 0, recompute: false, nextSeed: () => 0 };
const TRAIN: ForwardContext = { ...EVAL, training: true };

const CASES: readonly (OpSite & { readonly params: number; readonly multAdds: number })[] = [
  // 6x5 stays 6x5: the per-channel scale only, 8 weights, 6*5*8 multiply-adds.
  { cin: 8, filters: 8, stride: 1, params: 8, multAdds: 240 },
  // 6x5 -> 3x3 and 6 -> 8 channels: scale (6) + 1x1 conv (48) + BN scale and shift (16).
  { cin: 6, filters: 8, stride: 2, params: 6 + 48 + 16, multAdds: 9 * 6 + 9 * 48 },
];

const testBackend = await loadTestBackend(TEST_BACKEND);

describe.skipIf(testBackend === null)(
  `a toy op kind from its record alone, on ${TEST_BACKEND}`,
  () => {
    const stores: ParamStore[] = [];
    beforeAll(() => tf.engine().startScope());
    afterAll(() => {
      for (const s of stores) s.dispose();
      tf.engine().endScope();
    });

    for (const c of CASES) {
      const input: Shape = { height: 6, width: 5, channels: c.cin };
      const output = sameShape(input, c.stride, c.filters);
      const layers = placeSteps(kindSteps(SCALE, { kind: 'scale' }, c), input);
      const label = `${c.cin} -> ${c.filters} channels, stride ${c.stride}`;

      it(`counts what its tfjs layer creates: ${label}`, () => {
        expect(layers.at(-1)?.output).toEqual(output);
        const cost = zeroCost();
        addStepsCost(cost, layers);
        expect(cost.params).toBe(c.params);
        expect(cost.multAdds).toBe(c.multAdds);
        const store = new ParamStore(5);
        stores.push(store);
        buildSteps(store, 'toy/scale', layers, BN);
        expect(store.trainableCount()).toBe(cost.params);
        expect(store.nonTrainableCount()).toBe(cost.bnStatistics);
      });

      it(`runs forward and backward with the planned output shape: ${label}`, () => {
        const store = new ParamStore(6);
        stores.push(store);
        const layer = buildSteps(store, 'toy/scale', layers, BN);
        const x = tf
          .randomNormal([2, input.height, input.width, c.cin], 0, 1, 'float32', 1)
          .as4D(2, input.height, input.width, c.cin);
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer(x, TRAIN))));
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        for (const p of store.list().filter((q) => q.trainable)) {
          const g = grads[p.variable.name];
          expect(g, p.name).toBeDefined();
          if (g !== undefined) expect(tf.any(tf.notEqual(g, 0)).dataSync()[0], p.name).toBe(1);
        }
        expect(layer(x, EVAL).shape).toEqual([2, output.height, output.width, output.channels]);
      });

      it(`has a Keras twin with the same output from the same weights: ${label}`, () => {
        const store = new ParamStore(7);
        stores.push(store);
        const layer = buildSteps(store, 'toy/scale', layers, BN);
        for (const p of store.list()) {
          // Trained-looking weights: a scale that is not He-normal noise, BN statistics not 0 and 1.
          p.variable.assign(tf.randomUniform(p.variable.shape, 0.5, 1.5, 'float32', 3));
        }
        const binder = new WeightBinder(store);
        const sym = tf.input({ shape: [input.height, input.width, c.cin] });
        const out = applySteps({ binder, bn: BN }, 'toy/scale', layers, sym);
        expect(binder.finish().map((b) => b.param)).toEqual(store.list().map((p) => p.name));
        expect(out.shape).toEqual([null, output.height, output.width, output.channels]);
        const model = tf.model({ inputs: sym, outputs: out });
        const x = tf
          .randomNormal([2, input.height, input.width, c.cin], 0, 1, 'float32', 2)
          .as4D(2, input.height, input.width, c.cin);
        const keras = model.predict(x);
        if (!(keras instanceof tf.Tensor)) throw new Error('the twin has more than one output');
        const diff = tf.max(tf.abs(tf.sub(keras, layer(x, EVAL)))).dataSync()[0];
        expect(diff).toBeLessThan(1e-5);
        model.dispose();
      });
    }
  },
);
