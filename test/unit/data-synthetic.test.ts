import { describe, expect, it } from 'vitest';
import type { ImageSplit } from '../../trainer/data/image-dataset.ts';
import { classCounts } from '../../trainer/data/image-dataset.ts';
import { generateSynthetic, type SyntheticOptions } from '../../trainer/data/synthetic.ts';

const OPTIONS: SyntheticOptions = { classes: 4, size: 16, train: 120, test: 40, seed: 3 };

/** Summed over channels, |DFT| squared of example `i` at wave vector (kx, ky) in radians per pixel. */
function energy(split: ImageSplit, i: number, kx: number, ky: number): number {
  const { height: h, width: w, channels: ch } = split.shape;
  let total = 0;
  for (let c = 0; c < ch; c++) {
    const at = (x: number, y: number): number => split.images[((i * h + y) * w + x) * ch + c] ?? 0;
    let mean = 0;
    for (let p = 0; p < h * w; p++) mean += at(p % w, Math.floor(p / w)) / (h * w);
    let re = 0;
    let im = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = at(x, y) - mean;
        re += v * Math.cos(kx * x + ky * y);
        im -= v * Math.sin(kx * x + ky * y);
      }
    }
    total += re * re + im * im;
  }
  return total;
}

/** The wave vector of class `c` without jitter, as synthetic.ts draws it. */
function waveVector(c: number, options: SyntheticOptions): [number, number] {
  const angle = (Math.PI * c) / options.classes;
  const f = 2 * Math.PI * (c % 2 === 0 ? 1 / 6 : 1 / 3.5);
  return [Math.cos(angle) * f, Math.sin(angle) * f];
}

/** Accuracy of predicting each example's class as the class whose wave vector carries most energy. */
function spectralAccuracy(split: ImageSplit, options: SyntheticOptions): number {
  let correct = 0;
  for (let i = 0; i < split.count; i++) {
    const scores = Array.from({ length: options.classes }, (_, c) =>
      energy(split, i, ...waveVector(c, options)),
    );
    if (scores.indexOf(Math.max(...scores)) === split.labels[i]) correct++;
  }
  return correct / split.count;
}

/** Accuracy of predicting the class from the image's mean colour, by nearest class-mean colour. */
function colourAccuracy(split: ImageSplit, classes: number): number {
  const pixels = split.shape.height * split.shape.width;
  const colours = Array.from({ length: split.count }, (_, i) =>
    [0, 1, 2].map((c) => {
      let sum = 0;
      for (let p = 0; p < pixels; p++) sum += split.images[(i * pixels + p) * 3 + c] ?? 0;
      return sum / pixels;
    }),
  );
  const means = Array.from({ length: classes }, (_, k) => {
    const own = colours.filter((_, i) => split.labels[i] === k);
    return [0, 1, 2].map((c) => own.reduce((s, col) => s + (col[c] ?? 0), 0) / own.length);
  });
  const nearest = (col: number[]): number => {
    const d = means.map((m) => m.reduce((s, v, c) => s + (v - (col[c] ?? 0)) ** 2, 0));
    return d.indexOf(Math.min(...d));
  };
  return colours.filter((col, i) => nearest(col) === split.labels[i]).length / split.count;
}

describe('generateSynthetic', () => {
  it('gives identical bytes for the same seed and different bytes for another', () => {
    const a = generateSynthetic(OPTIONS);
    const b = generateSynthetic(OPTIONS);
    expect(Buffer.from(a.train.images).equals(Buffer.from(b.train.images))).toBe(true);
    expect(Buffer.from(a.test?.images ?? []).equals(Buffer.from(b.test?.images ?? []))).toBe(true);
    const c = generateSynthetic({ ...OPTIONS, seed: 4 });
    expect(Buffer.from(a.train.images).equals(Buffer.from(c.train.images))).toBe(false);
  });

  it('has the requested shape, balanced classes, and no test split when test=0', () => {
    const data = generateSynthetic({ ...OPTIONS, test: 0 });
    expect(data.classCount).toBe(4);
    expect(data.train.shape).toEqual({ height: 16, width: 16, channels: 3 });
    expect(data.train.images.length).toBe(120 * 16 * 16 * 3);
    expect(classCounts(data.train, 4)).toEqual([30, 30, 30, 30]);
    expect(data.test).toBeUndefined();
  });

  it('keeps the test split independent of the training size', () => {
    const small = generateSynthetic({ ...OPTIONS, train: 10 });
    const large = generateSynthetic(OPTIONS);
    expect(
      Buffer.from(small.test?.images ?? []).equals(Buffer.from(large.test?.images ?? [])),
    ).toBe(true);
  });

  it('carries the class in the spatial frequency content, not in the colour', () => {
    const data = generateSynthetic(OPTIONS);
    expect(spectralAccuracy(data.train, OPTIONS)).toBeGreaterThan(0.8);
    expect(colourAccuracy(data.train, OPTIONS.classes)).toBeLessThan(0.5);
  });
});
