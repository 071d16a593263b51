/**
 * Holds out a validation split from a training split, as NAS papers do to score candidates without
 * touching the test set (NASNet, Zoph et al. 2018, holds out 5,000 of CIFAR-10's 50,000 images).
 */
import { createRng, type Rng } from '../../shared/rng.ts';
import { InvalidSplitError } from './errors.ts';
import { classCounts, selectExamples, type ImageSplit } from './image-dataset.ts';

/** The default validation size: 5,000 of CIFAR-10's 50,000, as in NASNet (Zoph et al. 2018). */
export const DEFAULT_VALIDATION_SIZE = 5000;

/** How to hold out a validation split. */
export interface ValidationSplitOptions {
  /** How many examples to hold out; default {@link DEFAULT_VALIDATION_SIZE}. */
  readonly size?: number;
  /** Seed of the shuffle that picks them; the same seed picks the same examples. */
  readonly seed: number;
  /** Keep each class's share in both parts (needs `classCount`); default false. */
  readonly stratify?: boolean;
  /** The number of classes; required when `stratify` is set. */
  readonly classCount?: number;
}

/** A training split divided in two; both parts keep the original order of their examples. */
export interface TrainValidation {
  readonly train: ImageSplit;
  readonly validation: ImageSplit;
}

/** Splits `split` into a smaller train part and a `size`-example validation part, chosen by seed. */
export function holdOutValidation(
  split: ImageSplit,
  options: ValidationSplitOptions,
): TrainValidation {
  const size = options.size ?? DEFAULT_VALIDATION_SIZE;
  if (!Number.isInteger(size) || size <= 0 || size >= split.count) {
    throw new InvalidSplitError(
      `validation size ${size} is not possible with ${split.count} training examples; ` +
        `allowed: 1..${split.count - 1}`,
    );
  }
  const order = shuffledIndices(split.count, createRng(options.seed));
  const held = options.stratify
    ? stratifiedPick(split, order, size, requireClassCount(options.classCount))
    : order.slice(0, size);
  const isHeld = new Uint8Array(split.count);
  for (const i of held) isHeld[i] = 1;
  const validation: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < split.count; i++) (isHeld[i] === 1 ? validation : train).push(i);
  return { train: selectExamples(split, train), validation: selectExamples(split, validation) };
}

function requireClassCount(classCount: number | undefined): number {
  if (classCount === undefined || !Number.isInteger(classCount) || classCount <= 0) {
    throw new InvalidSplitError(
      `a stratified validation split needs a positive classCount, got ${classCount}`,
    );
  }
  return classCount;
}

/** 0..n-1 in a Fisher–Yates order drawn from `rng`. */
function shuffledIndices(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] ?? i;
    order[i] = order[j] ?? j;
    order[j] = t;
  }
  return order;
}

/** Walks `order` taking each class up to its quota; quotas by largest remainder sum to `size`. */
function stratifiedPick(
  split: ImageSplit,
  order: readonly number[],
  size: number,
  classCount: number,
): number[] {
  const counts = classCounts(split, classCount);
  const exact = counts.map((c) => (c * size) / split.count);
  const quota = exact.map(Math.floor);
  const byRemainder = exact
    .map((e, c) => ({ c, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.c - b.c);
  let missing = size - quota.reduce((a, b) => a + b, 0);
  for (const { c } of byRemainder) {
    if (missing === 0) break;
    quota[c] = (quota[c] ?? 0) + 1;
    missing--;
  }
  const picked: number[] = [];
  for (const i of order) {
    const label = split.labels[i] ?? 0;
    if ((quota[label] ?? 0) > 0) {
      quota[label] = (quota[label] ?? 0) - 1;
      picked.push(i);
    }
  }
  return picked;
}
