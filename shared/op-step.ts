/**
 * The layers an op is made of, as data: ReLU, convolutions, pooling and batch norm, in order. Each
 * op kind's record (ops.ts) lists them once; the cost count (op-cost.ts), the activation count,
 * the tfjs builder and its Keras twin (trainer/network/step-layers.ts) all read the same list, so
 * they cannot disagree. Every convolution is bias-free and SAME-padded, as in TF-slim's NASNet.
 */
import { sameOutputSize, type Shape } from './shape.ts';

/** A kernel size, stride or dilation rate, [rows, columns]. */
export type Pair = readonly [number, number];

/**
 * One layer of an op. `name` places its weights (and its Keras layer) at `<op prefix>/<name>`.
 * Channels in are those of the step before; `filters` are channels out where a step changes them.
 */
export type OpStep =
  | { readonly step: 'relu'; readonly name: string }
  /** A convolution; a dilated one with a stride is the stride-1 result subsampled. */
  | {
      readonly step: 'conv';
      readonly name: string;
      readonly kernel: Pair;
      readonly filters: number;
      readonly strides: Pair;
      readonly dilation: Pair;
    }
  /** A depthwise convolution, depth multiplier 1 (weights `<name>`). */
  | {
      readonly step: 'depthwise';
      readonly name: string;
      readonly kernel: Pair;
      readonly strides: Pair;
    }
  /** Depthwise k x k (with the stride), then pointwise 1x1 to `filters` (`<name>/depthwise`, `<name>/pointwise`). */
  | {
      readonly step: 'separable';
      readonly name: string;
      readonly kernel: number;
      readonly filters: number;
      readonly stride: number;
    }
  /** Pooling; average pooling excludes the padding from its divisor, as TensorFlow's. */
  | {
      readonly step: 'pool';
      readonly name: string;
      readonly pool: 'avg' | 'max';
      readonly kernel: number;
      readonly stride: number;
    }
  /** Batch normalisation with scale (weights `<name>/gamma`, `beta`, `moving_mean`, `moving_variance`). */
  | { readonly step: 'bn'; readonly name: string };

/** The discriminant of {@link OpStep}. */
export type OpStepKind = OpStep['step'];

/** What an op's layers depend on besides its parameters: channels in, filters F out, and its stride. */
export interface OpSite {
  readonly cin: number;
  readonly filters: number;
  readonly stride: number;
}

/** One step with the shape it reads and the shape it writes. */
export interface PlacedStep {
  readonly step: OpStep;
  readonly input: Shape;
  readonly output: Shape;
}

/** ReLU, Keras layer `<name>`. */
export function reluStep(name = 'relu'): OpStep {
  return { step: 'relu', name };
}

/** A convolution to `filters` with a `kernel`, stride and dilation rate. */
export function convStep(
  name: string,
  kernel: Pair,
  filters: number,
  strides: Pair = [1, 1],
  dilation: Pair = [1, 1],
): OpStep {
  return { step: 'conv', name, kernel, filters, strides, dilation };
}

/** Batch normalisation, weights `<name>/...`. */
export function bnStep(name = 'bn'): OpStep {
  return { step: 'bn', name };
}

/** The shape `step` writes when it reads `input` (SAME padding: ceil(size / stride)). */
export function stepOutput(step: OpStep, input: Shape): Shape {
  const [rows, columns] = stepStrides(step);
  const channels = 'filters' in step ? step.filters : input.channels;
  return {
    height: sameOutputSize(input.height, rows),
    width: sameOutputSize(input.width, columns),
    channels,
  };
}

function stepStrides(step: OpStep): Pair {
  switch (step.step) {
    case 'relu':
    case 'bn':
      return [1, 1];
    case 'conv':
    case 'depthwise':
      return step.strides;
    case 'separable':
    case 'pool':
      return [step.stride, step.stride];
    default: {
      const unknown: never = step; // a new step kind must say how it slides
      throw new Error(`unknown op step ${JSON.stringify(unknown)}`);
    }
  }
}

/** Each step with the shape it reads and writes, starting from `input`. */
export function placeSteps(steps: readonly OpStep[], input: Shape): readonly PlacedStep[] {
  let shape = input;
  return steps.map((step) => {
    const output = stepOutput(step, shape);
    const placed = { step, input: shape, output };
    shape = output;
    return placed;
  });
}
