import { describe, expect, it } from 'vitest';
import { channelStats } from '../../trainer/data/channel-stats.ts';
import { InvalidSplitError } from '../../trainer/data/errors.ts';
import {
  classCounts,
  createSplit,
  selectExamples,
  type ImageSplit,
} from '../../trainer/data/image-dataset.ts';
import { DEFAULT_VALIDATION_SIZE, holdOutValidation } from '../../trainer/data/validation-split.ts';

/** `count` 1x1 RGB examples whose pixel is (i mod 256, label, 7) and whose label is i mod `classes`. */
function tinySplit(count: number, classes: number): ImageSplit {
  const images = new Uint8Array(count * 3);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % classes;
    images.set([i % 256, i % classes, 7], i * 3);
  }
  return createSplit({ height: 1, width: 1, channels: 3 }, images, labels);
}

/** Each example's id: its first channel, which is unique while the split holds at most 256 examples. */
function ids(split: ImageSplit): number[] {
  return Array.from({ length: split.count }, (_, i) => split.images[i * 3] ?? -1);
}

describe('holdOutValidation', () => {
  it('holds out exactly `size` examples, disjoint from train, each keeping its label', () => {
    const split = tinySplit(200, 10);
    const { train, validation } = holdOutValidation(split, { size: 50, seed: 1 });
    expect(validation.count).toBe(50);
    expect(train.count).toBe(150);
    const all = [...ids(train), ...ids(validation)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i));
    for (const part of [train, validation]) {
      for (let i = 0; i < part.count; i++) expect(part.labels[i]).toBe(part.images[i * 3 + 1]);
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    const split = tinySplit(200, 10);
    const a = holdOutValidation(split, { size: 20, seed: 5 });
    const b = holdOutValidation(split, { size: 20, seed: 5 });
    const c = holdOutValidation(split, { size: 20, seed: 6 });
    expect(ids(a.validation)).toEqual(ids(b.validation));
    expect(ids(a.validation)).not.toEqual(ids(c.validation));
  });

  it('keeps class shares when stratified', () => {
    const split = tinySplit(250, 5);
    const { train, validation } = holdOutValidation(split, {
      size: 50,
      seed: 2,
      stratify: true,
      classCount: 5,
    });
    expect(classCounts(validation, 5)).toEqual([10, 10, 10, 10, 10]);
    expect(classCounts(train, 5)).toEqual([40, 40, 40, 40, 40]);
    const uneven = holdOutValidation(tinySplit(23, 4), {
      size: 7,
      seed: 2,
      stratify: true,
      classCount: 4,
    });
    expect(classCounts(uneven.validation, 4).reduce((a, b) => a + b)).toBe(7);
  });

  it('defaults to 5000 and rejects sizes that leave no training examples', () => {
    expect(DEFAULT_VALIDATION_SIZE).toBe(5000);
    expect(holdOutValidation(tinySplit(5001, 10), { seed: 0 }).train.count).toBe(1);
    expect(() => holdOutValidation(tinySplit(10, 2), { size: 10, seed: 0 })).toThrow(
      InvalidSplitError,
    );
    expect(() => holdOutValidation(tinySplit(10, 2), { seed: 0 })).toThrow(
      'validation size 5000 is not possible with 10 training examples; allowed: 1..9',
    );
    expect(() => holdOutValidation(tinySplit(10, 2), { size: 2, seed: 0, stratify: true })).toThrow(
      /classCount/,
    );
  });
});

describe('selectExamples and createSplit', () => {
  it('copies the chosen examples in order and checks lengths', () => {
    const picked = selectExamples(tinySplit(10, 3), [9, 0, 4]);
    expect(Array.from(picked.images)).toEqual([9, 0, 7, 0, 0, 7, 4, 1, 7]);
    expect(Array.from(picked.labels)).toEqual([0, 0, 1]);
    expect(() => selectExamples(tinySplit(3, 3), [3])).toThrow(RangeError);
    expect(() =>
      createSplit({ height: 2, width: 2, channels: 1 }, new Uint8Array(7), new Uint8Array(2)),
    ).toThrow(RangeError);
  });
});

describe('channelStats', () => {
  it('computes per-channel mean and population std on the [0, 1] scale', () => {
    const images = Uint8Array.from([0, 255, 10, 255, 255, 30, 0, 255, 10, 255, 255, 30]);
    const split = createSplit({ height: 2, width: 2, channels: 3 }, images, new Uint8Array(1));
    const { mean, std } = channelStats(split);
    expect(mean[0]).toBeCloseTo(0.5, 10);
    expect(mean[1]).toBeCloseTo(1, 10);
    expect(mean[2]).toBeCloseTo(20 / 255, 10);
    expect(std[0]).toBeCloseTo(0.5, 10);
    expect(std[1]).toBeCloseTo(0, 10);
    expect(std[2]).toBeCloseTo(10 / 255, 10);
  });
});
