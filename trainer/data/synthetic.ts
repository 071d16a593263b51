/**
 * A built-in synthetic dataset for zero-setup runs: each class is a grating of its own orientation
 * and spatial frequency inside a soft blob at a random place, in random colours, beside a weaker
 * distractor grating, with pixel noise. Neither colour nor position gives the class away.
 */
import { createRng, type Rng } from '../../shared/rng.ts';
import {
  createLabels,
  type ImageDataset,
  type ImageShape,
  type ImageSplit,
} from './image-dataset.ts';

/** The size and seed of a synthetic dataset; the same options always give the same bytes. */
export interface SyntheticOptions {
  readonly classes: number;
  /** Images are `size` x `size` RGB. */
  readonly size: number;
  readonly train: number;
  /** 0 for no test split. */
  readonly test: number;
  readonly seed: number;
}

/** The class-independent spread of each image's nuisance variables. */
const JITTER = {
  /** Orientation jitter, radians (about ±6°; classes 2 apart differ by 36° at 10 classes). */
  angle: 0.1,
  /** Relative jitter of the spatial frequency. */
  frequency: 0.12,
  /** Half-width of the triangular pixel noise, in grey levels. */
  noise: 36,
  /** The distractor grating's largest amplitude, relative to the class grating's. */
  distractor: 0.6,
} as const;

/** Generates the dataset: labels cycle through the classes, so every class has an equal share (±1). */
export function generateSynthetic(options: SyntheticOptions): ImageDataset {
  const root = createRng(options.seed);
  const trainRng = createRng(root.int(2 ** 31));
  const testRng = createRng(root.int(2 ** 31));
  const train = generateSplit(options, options.train, trainRng);
  const test = options.test > 0 ? generateSplit(options, options.test, testRng) : undefined;
  return {
    name: 'synthetic',
    classCount: options.classes,
    classNames: Array.from({ length: options.classes }, (_, c) => `grating-${c}`),
    train,
    ...(test === undefined ? {} : { test }),
  };
}

function generateSplit(options: SyntheticOptions, count: number, rng: Rng): ImageSplit {
  const shape: ImageShape = { height: options.size, width: options.size, channels: 3 };
  const bytes = options.size * options.size * 3;
  const images = new Uint8Array(count * bytes);
  const labels = createLabels(options.classes, count);
  for (let i = 0; i < count; i++) {
    const label = i % options.classes;
    labels[i] = label;
    drawExample(label, options, rng, images.subarray(i * bytes, (i + 1) * bytes));
  }
  return { count, shape, images, labels };
}

/** A grating of wave vector (kx, ky) under a Gaussian blob, shown in each channel with its own tint. */
interface Grating {
  readonly kx: number;
  readonly ky: number;
  readonly phase: number;
  readonly cx: number;
  readonly cy: number;
  readonly radius: number;
  readonly amplitude: number;
  readonly tint: readonly number[];
}

function between(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** A grating at a random place, phase and tint; each channel's tint has a random sign and strength. */
function randomGrating(
  rng: Rng,
  angle: number,
  cyclesPerPixel: number,
  size: number,
  amplitude: number,
): Grating {
  const k = 2 * Math.PI * cyclesPerPixel;
  const tint = (): number => (rng.next() < 0.5 ? -1 : 1) * between(rng, 0.35, 1);
  return {
    kx: Math.cos(angle) * k,
    ky: Math.sin(angle) * k,
    phase: between(rng, 0, 2 * Math.PI),
    cx: between(rng, 0.25, 0.75) * size,
    cy: between(rng, 0.25, 0.75) * size,
    radius: between(rng, 0.2, 0.35) * size,
    amplitude,
    tint: [tint(), tint(), tint()],
  };
}

/** The grating's signed value at (x, y), before its tint. */
function waveAt(g: Grating, x: number, y: number): number {
  const d2 = ((x - g.cx) ** 2 + (y - g.cy) ** 2) / (g.radius * g.radius);
  return g.amplitude * Math.exp(-d2) * Math.sin(g.kx * x + g.ky * y + g.phase);
}

/**
 * Draws one image of class `label` into `out` (HWC bytes): the class's grating, a weaker distractor
 * grating of random orientation and frequency, a random background colour, and triangular noise.
 */
function drawExample(label: number, options: SyntheticOptions, rng: Rng, out: Uint8Array): void {
  const { size, classes } = options;
  // Class c: orientation c/classes of a half turn; even and odd classes differ in frequency. Periods
  // of 6 and 3.5 pixels stay well below Nyquist at any size, so the texture never aliases.
  const angle = (Math.PI * label) / classes + between(rng, -JITTER.angle, JITTER.angle);
  const period = label % 2 === 0 ? 6 : 3.5;
  const frequency = (1 + between(rng, -JITTER.frequency, JITTER.frequency)) / period;
  const target = randomGrating(rng, angle, frequency, size, between(rng, 45, 90));
  const distractorStrength = target.amplitude * between(rng, 0.25, JITTER.distractor);
  const distractor = randomGrating(
    rng,
    between(rng, 0, Math.PI),
    1 / between(rng, 3, 7),
    size,
    distractorStrength,
  );
  const background = [between(rng, 60, 190), between(rng, 60, 190), between(rng, 60, 190)];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [t, d] = [waveAt(target, x, y), waveAt(distractor, x, y)];
      for (let c = 0; c < 3; c++) {
        const noise = (rng.next() + rng.next() - 1) * JITTER.noise;
        const value =
          (background[c] ?? 0) + (target.tint[c] ?? 0) * t + (distractor.tint[c] ?? 0) * d + noise;
        out[(y * size + x) * 3 + c] = Math.min(255, Math.max(0, Math.round(value)));
      }
    }
  }
}
