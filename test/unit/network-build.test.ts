// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
/**
 * The network builder against the plan and the cost walk: for random genotypes and for NASNet-A,
 * (explicit output lists included) the built network's trainable and non-trainable counts equal
 * `complexity()` exactly, and every
 * cell's output (and the logits) have the planned shapes, on the backend under test (wasm, or
 * tensorflow under npm run test:native).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { complexity } from '../../shared/complexity.ts';
import type { Genotype } from '../../shared/genotype.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { planNetwork, type NetworkSettingsInput } from '../../shared/network-plan.ts';
import { minImageSize } from '../../shared/network-settings.ts';
import type { Shape } from '../../shared/shape.ts';
import { buildNetwork, type Network } from '../../trainer/network/network.ts';
import { initBackend, tf } from '../../trainer/tf.ts';
import type { Tensor } from '../../trainer/tf.ts';
import { genotypeWithOutputsArb } from '../arbitraries/genotype.ts';
import { MOBILE } from '../fixtures/nasnet-networks.ts';
import { loadTestBackend, TEST_BACKEND } from '../fixtures/test-backend.ts';

const OPTIONS = { seed: 7, dropout: 0.3, dropPathKeep: 0.7 };

function build(genotype: Genotype, settings: NetworkSettingsInput): Network {
  return buildNetwork(planNetwork(genotype, settings), OPTIONS);
}

function expectCountsOfComplexity(network: Network, genotype: Genotype, s: NetworkSettingsInput) {
  const c = complexity(genotype, s);
  expect(network.params.trainableCount()).toBe(c.params);
  expect(network.params.nonTrainableCount()).toBe(c.bnStatistics);
}

/** Runs one forward pass and returns the stem's, every cell's and the heads' output shapes. */
function forwardShapes(network: Network, batch: number, training: boolean) {
  const { height, width, channels } = network.plan.stem.input;
  const shapes = {
    stem: [] as number[],
    cells: [] as number[][],
    logits: [] as number[],
    aux: null as number[] | null,
  };
  tf.tidy(() => {
    const x = tf.randomNormal([batch, height, width, channels], 0, 1, 'float32', 1);
    const hooks = {
      stem: (y: Tensor) => (shapes.stem = y.shape),
      cell: (i: number, y: Tensor) => (shapes.cells[i] = y.shape),
    };
    const out = network.apply(
      x.as4D(batch, height, width, channels),
      { training, progress: 0.5 },
      hooks,
    );
    shapes.logits = out.logits.shape;
    shapes.aux = out.auxLogits?.shape ?? null;
  });
  return shapes;
}

const nhwc = (batch: number, s: Shape): number[] => [batch, s.height, s.width, s.channels];

const settingsArb = fc
  .record({
    cells: fc.integer({ min: 1, max: 2 }),
    filters: fc.constantFrom(24, 48),
    auxHead: fc.boolean(),
    size: fc.integer({ min: 0, max: 8 }),
  })
  .map(({ size, ...s }): NetworkSettingsInput => {
    const imageSize = Math.max(minImageSize('cifar', s.auxHead), 8) + size;
    return { ...s, imageSize, classes: 3, skeleton: 'cifar' };
  });

const testBackend = await loadTestBackend(TEST_BACKEND, false); // null: skipped outside CI

describe.skipIf(testBackend === null)(`buildNetwork on ${TEST_BACKEND}`, () => {
  beforeAll(async () => {
    await initBackend(TEST_BACKEND);
  });

  it('matches complexity() and the planned shapes for random genotypes', () => {
    fc.assert(
      fc.property(
        genotypeWithOutputsArb(),
        settingsArb,
        fc.boolean(),
        (genotype, settings, training) => {
          const network = build(genotype, settings);
          try {
            expectCountsOfComplexity(network, genotype, settings);
            const shapes = forwardShapes(network, 2, training);
            const { plan } = network;
            expect(shapes.stem).toEqual(nhwc(2, plan.stem.output));
            expect(shapes.cells).toEqual(plan.cells.map((cell) => nhwc(2, cell.output)));
            expect(shapes.logits).toEqual([2, 3]);
            expect(shapes.aux).toEqual(settings.auxHead ? [2, 3] : null);
          } finally {
            network.dispose();
          }
        },
      ),
      { numRuns: 15, seed: 20261127 },
    );
  });

  it('NASNet-A 1@48 on CIFAR with the aux head matches complexity()', () => {
    const settings: NetworkSettingsInput = {
      cells: 1,
      filters: 48,
      imageSize: 16,
      classes: 10,
      skeleton: 'cifar',
      auxHead: true,
    };
    const network = build(NASNET_A, settings);
    expectCountsOfComplexity(network, NASNET_A, settings);
    expect(forwardShapes(network, 2, true).logits).toEqual([2, 10]);
    network.dispose();
  });

  it('NASNet-A on the ImageNet skeleton: counts, and the VALID stride-2 stem halves 40 to 19', () => {
    const settings: NetworkSettingsInput = {
      cells: 1,
      filters: 96,
      imageSize: 40,
      classes: 10,
      skeleton: 'imagenet',
      auxHead: false,
    };
    const network = build(NASNET_A, settings);
    expectCountsOfComplexity(network, NASNET_A, settings);
    const shapes = forwardShapes(network, 2, false);
    expect(shapes.stem).toEqual([2, 19, 19, 32]);
    expect(shapes.cells).toEqual(network.plan.cells.map((cell) => nhwc(2, cell.output)));
    network.dispose();
  });

  it('NASNet-A Mobile 4@1056 has the Keras NASNetMobile counts (5,326,716 with 36,738 BN statistics)', () => {
    const network = build(NASNET_A, { ...MOBILE, imageSize: 32 });
    expect(network.params.trainableCount() + network.params.nonTrainableCount()).toBe(5_326_716);
    expect(network.params.nonTrainableCount()).toBe(36_738);
    network.dispose();
  });

  it('names every weight after where it sits, once', () => {
    // Cells 0 and 1 are the ImageNet stem cells; 2 is normal, 3 reduction, 4 normal, ...
    const network = build(NASNET_A, { ...MOBILE, cells: 1, imageSize: 67, auxHead: true });
    const names = network.params.list().map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('stem/conv');
    expect(names).toContain('stem/bn/moving_variance');
    expect(names).toContain('cell_0/reduction/input_0/conv');
    expect(names).toContain('cell_2/normal/input_1/path_2/conv');
    expect(names).toContain('cell_2/normal/block_0/opA/sep_conv_5x5/layer_1/depthwise');
    expect(names).toContain('cell_3/reduction/block_1/opB/sep_conv_7x7/layer_0/pointwise');
    expect(names).toContain('cell_3/reduction/block_1/opB/sep_conv_7x7/layer_0/bn/beta');
    expect(names).toContain('aux/hidden/conv');
    expect(names).toContain('head/dense/bias');
    const decayed = network.params.list().filter((p) => p.decay);
    expect(decayed.every((p) => /(conv|depthwise|pointwise|kernel)$/.test(p.name))).toBe(true);
    network.dispose();
  });

  it('rejects an input of the wrong shape, naming both shapes', () => {
    const network = build(NASNET_A, { ...MOBILE, cells: 1, imageSize: 32 });
    const x = tf.zeros([1, 31, 32, 3]).as4D(1, 31, 32, 3);
    expect(() => network.apply(x, { training: false, progress: 0 })).toThrow(
      /\[1, 31, 32, 3\]; expected \[batch, 32, 32, 3\]/,
    );
    x.dispose();
    network.dispose();
  });
});
