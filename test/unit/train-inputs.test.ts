import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../shared/errors.ts';
import { createRng } from '../../shared/rng.ts';
import { DEFAULT_TRAINING, parseTrainingSettings } from '../../shared/training-settings.ts';
import { createSplit } from '../../trainer/data/image-dataset.ts';
import { batchImages, NO_AUGMENTATION } from '../../trainer/train/batch-images.ts';
import { dropPathKeep } from '../../trainer/network/drop-path.ts';
import { cosineLearningRate } from '../../trainer/train/schedules.ts';

const UNIT = { mean: [0, 0, 0], std: [1 / 255, 1 / 255, 1 / 255] }; // byte -> byte, to read pixels back

/** A 1-example 4x4x3 split whose pixel (y, x, c) is 1 + 16 * c + 4 * y + x. */
function tinySplit() {
  const images = new Uint8Array(4 * 4 * 3);
  for (let y = 0; y < 4; y++)
    for (let x = 0; x < 4; x++)
      for (let c = 0; c < 3; c++) images[(y * 4 + x) * 3 + c] = 1 + 16 * c + 4 * y + x;
  return createSplit({ height: 4, width: 4, channels: 3 }, images, new Uint8Array([0]));
}

describe('batch images', () => {
  it('normalises per channel without augmentation', () => {
    const split = tinySplit();
    const stats = { mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 2] };
    const out = batchImages(split, [0], stats, NO_AUGMENTATION, createRng(0));
    split.images.forEach((byte, i) => {
      const c = i % 3;
      expect(out[i]).toBeCloseTo((byte / 255 - stats.mean[c]!) / stats.std[c]!, 5);
    });
  });

  it('flips and shifts pixels without inventing values, and is repeatable by seed', () => {
    const split = tinySplit();
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const aug = { pad: 2, flip: true, cutout: 0 };
        const a = batchImages(split, [0], UNIT, aug, createRng(seed));
        expect(batchImages(split, [0], UNIT, aug, createRng(seed))).toEqual(a);
        const allowed = new Set([0, ...split.images]);
        for (const v of a) expect(allowed.has(Math.round(v))).toBe(true);
      }),
    );
  });

  it('zeroes a square for cutout', () => {
    const split = tinySplit();
    const out = batchImages(split, [0], UNIT, { pad: 0, flip: false, cutout: 2 }, createRng(4));
    const zeros = out.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThanOrEqual(3); // at least one pixel (3 channels), at most 2x2 pixels
    expect(zeros).toBeLessThanOrEqual(12);
  });
});

describe('schedules', () => {
  it('decays the learning rate along a single cosine period', () => {
    expect(cosineLearningRate(0.1, 0, 100)).toBeCloseTo(0.1);
    expect(cosineLearningRate(0.1, 50, 100)).toBeCloseTo(0.05);
    expect(cosineLearningRate(0.1, 100, 100)).toBeCloseTo(0);
    expect(cosineLearningRate(0.1, 30, 100)).toBeGreaterThan(cosineLearningRate(0.1, 31, 100));
  });

  it('drops paths more in later cells and later in training (ScheduledDropPath)', () => {
    expect(dropPathKeep(0.6, 0, 10, 0)).toBe(1);
    expect(dropPathKeep(0.6, 9, 10, 1)).toBeCloseTo(0.6);
    expect(dropPathKeep(0.6, 4, 10, 1)).toBeCloseTo(0.8);
    expect(dropPathKeep(0.6, 9, 10, 0.5)).toBeCloseTo(0.8);
  });
});

describe('training settings', () => {
  it('fills defaults from the paper and accepts overrides', () => {
    expect(parseTrainingSettings({})).toEqual(DEFAULT_TRAINING);
    expect(DEFAULT_TRAINING.momentum).toBe(0.9);
    expect(parseTrainingSettings({ epochs: 3, cutout: 16 }).cutout).toBe(16);
  });

  it('lists every bad field with its path and range', () => {
    try {
      parseTrainingSettings({ epochs: 0, learningRate: 'fast', augmentFlip: 1, epoch: 3 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidValueError);
      const paths = (err as InvalidValueError).violations.map((v) => v.path).sort();
      expect(paths).toEqual(['augmentFlip', 'epoch', 'epochs', 'learningRate']);
      expect((err as Error).message).toContain('epochs: expected an integer in 1..10000');
    }
  });
});
