// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * buildLayersModel: the LayersModel of a network, made of stock Keras layers only, computes the
 * trainer's own eval-mode forward pass (logits and softmax) for NASNet-A on both skeletons and for
 * genotypes that use every op at both strides; a store that does not fit the plan is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Genotype } from '../../shared/genotype.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { planNetwork, type NetworkSettingsInput } from '../../shared/network-plan.ts';
import { OP_NAMES } from '../../shared/ops.ts';
import { buildLayersModel, LOGITS_LAYER } from '../../trainer/network/layers-model.ts';
import { buildNetwork, type Network } from '../../trainer/network/network.ts';
import { KERNEL } from '../../trainer/network/param-store.ts';
import { tf } from '../../trainer/tf.ts';
import {
  EVERY_OP_A,
  EVERY_OP_B,
  everyOpGenotypes,
  opCoverage,
} from '../fixtures/every-op-genotypes.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';
import {
  eachLayerClass,
  KERAS_CLASSES,
  predictOne,
  randomizeNetwork,
  STATS,
  trainerForward,
} from '../fixtures/layers-model-helpers.ts';

const CIFAR: NetworkSettingsInput = {
  cells: 1,
  filters: 24,
  imageSize: 16,
  classes: 5,
  skeleton: 'cifar',
  auxHead: false,
};
const CASES: readonly { name: string; genotype: Genotype; settings: NetworkSettingsInput }[] = [
  {
    name: 'NASNet-A, CIFAR skeleton with aux head, 1@48',
    genotype: NASNET_A,
    settings: { ...CIFAR, filters: 48, imageSize: 12, auxHead: true },
  },
  {
    name: 'NASNet-A, ImageNet skeleton, 1@96',
    genotype: NASNET_A,
    settings: { ...CIFAR, filters: 96, imageSize: 32, skeleton: 'imagenet' },
  },
  { name: 'every op A, CIFAR 1@24', genotype: EVERY_OP_A, settings: CIFAR },
  { name: 'every op B, CIFAR 1@24', genotype: EVERY_OP_B, settings: CIFAR },
  {
    name: 'every op B, ImageNet 1@96',
    genotype: EVERY_OP_B,
    settings: { ...CIFAR, filters: 96, imageSize: 24, skeleton: 'imagenet' },
  },
  ...everyOpGenotypes().map((genotype, i) => ({
    name: `every op, ten at a time (part ${i + 1}), CIFAR 1@24`,
    genotype,
    settings: CIFAR,
  })),
];

const testBackend = await loadTestBackend(TEST_BACKEND);

describe.skipIf(testBackend === null)(`buildLayersModel on ${TEST_BACKEND}`, () => {
  const networks: Network[] = [];
  beforeAll(() => tf.engine().startScope());
  afterAll(() => {
    for (const n of networks) n.dispose();
    tf.engine().endScope();
  });

  it('the every-op genotypes apply every op at stride 1 and 2 and every adjustment', () => {
    const plans = [EVERY_OP_A, EVERY_OP_B, ...everyOpGenotypes()].map((g) => planNetwork(g, CIFAR));
    const seen = opCoverage(plans);
    for (const op of OP_NAMES) {
      expect(seen, op).toContain(`${op}@1`);
      expect(seen, op).toContain(`${op}@2`);
    }
    for (const where of ['input', 'output']) {
      for (const kind of ['none', 'conv_1x1', 'factorized_reduction']) {
        expect(seen).toContain(`${where}:${kind}`);
      }
    }
  });

  for (const c of CASES) {
    it(`matches the trainer's eval forward pass: ${c.name}`, () => {
      const plan = planNetwork(c.genotype, c.settings);
      const network = buildNetwork(plan, { seed: 3, dropout: 0.5, dropPathKeep: 0.6 });
      networks.push(network);
      randomizeNetwork(network, 11);
      const { model } = buildLayersModel(plan, network.params, STATS);
      const { height, width, channels } = plan.stem.input;
      const pixels = tf.floor(tf.randomUniform([4, height, width, channels], 0, 256, 'float32', 7));
      const expected = trainerForward(network, pixels.as4D(4, height, width, channels), STATS);
      const logitsModel = tf.model({
        inputs: model.inputs,
        outputs: model.getLayer(LOGITS_LAYER).output,
      });
      const logits = predictOne(logitsModel, pixels);
      const probs = predictOne(model, pixels);
      const logitDiff = tf.max(tf.abs(tf.sub(logits, expected))).dataSync()[0];
      const probDiff = tf.max(tf.abs(tf.sub(probs, tf.softmax(expected)))).dataSync()[0];
      expect(tf.max(tf.abs(expected)).dataSync()[0]).toBeGreaterThan(0.1); // not a trivial network
      expect(logitDiff).toBeLessThan(1e-4);
      expect(probDiff).toBeLessThan(1e-5);
      for (const className of eachLayerClass(model)) expect(KERAS_CLASSES).toContain(className);
      model.dispose();
    });
  }

  it('refuses a store whose parameters do not fit the plan', () => {
    const plan = planNetwork(EVERY_OP_A, CIFAR);
    const other = buildNetwork(planNetwork(EVERY_OP_B, CIFAR), {
      seed: 1,
      dropout: 0,
      dropPathKeep: 1,
    });
    networks.push(other);
    expect(() => buildLayersModel(plan, other.params, STATS)).toThrow(
      /layers model: .*(missing|is \[)/,
    );
    const extra = buildNetwork(plan, { seed: 1, dropout: 0, dropPathKeep: 1 });
    networks.push(extra);
    extra.params.create('stray/conv', [1, 1, 1, 1], (s) => tf.zeros([...s]), KERNEL);
    expect(() => buildLayersModel(plan, extra.params, STATS)).toThrow(
      /not used by any layer: stray\/conv/,
    );
  });
});
