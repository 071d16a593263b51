/**
 * A backend profile: what one tfjs backend needs corrected, composed or replaced so that the
 * network builder can call the same few primitives everywhere. The builder asks
 * {@link activeProfile} (./active-profile.ts) for the profile of the backend in use; it never
 * tests the backend's name itself.
 */
import type { Shape } from '../../shared/shape.ts';
import type { Tensor, Tensor4D, tf } from '../tf.ts';

/** SAME, or SAME spelled out as explicit [[0,0],[top,bottom],[left,right],[0,0]] padding. */
export type ConvPadding = 'same' | Exclude<Parameters<typeof tf.conv2d>[3], string | number>;

/** Receives a training batch norm's batch statistics: the mean and the unbiased variance, [C]. */
export type StatisticsSink = (mean: Tensor, unbiasedVariance: Tensor) => void;

/** The primitives whose best form differs between backends. */
export interface BackendProfile {
  /** The tfjs backend name this profile serves: `wasm`, `cpu`, `tensorflow`. */
  readonly backend: string;
  /**
   * Whether cells recompute their forward pass in backprop by default (./checkpoint.ts): a
   * memory bound (wasm's 4 GiB heap), not a speed-up.
   */
  readonly checkpointCells: boolean;
  /** Registers every kernel the profile composes or replaces on its backend (idempotent). */
  install(): void;
  /** Registers only the kernels the backend lacks, so that training works at all (idempotent). */
  ensureKernels(): void;
  /** ReLU, with a gradient the backend computes well. */
  relu(x: Tensor4D): Tensor4D;
  /** A SAME convolution of x by filter ([kh, kw, in, out]) at `strides`. */
  conv2d(x: Tensor4D, filter: Tensor4D, strides: [number, number]): Tensor4D;
  /** A stride-1 SAME convolution dilated by `rate` ([rows, columns], at least one above 1). */
  atrousConv2d(x: Tensor4D, filter: Tensor4D, rate: [number, number]): Tensor4D;
  /** The padding argument for a SAME convolution of x by filter at `strides`. */
  convPadding(
    x: Tensor4D,
    filter: Tensor4D,
    strides: [number, number],
    depthwise: boolean,
  ): ConvPadding;
  /** SAME max pooling, `kernel` x `kernel` at `stride`, with a correct gradient. */
  maxPool(kernel: number, stride: number): (x: Tensor4D) => Tensor4D;
  /** SAME average pooling excluding padding from the divisor; `input` is the planned shape. */
  avgPool(kernel: number, stride: number, input: Shape): (x: Tensor4D) => Tensor4D;
  /**
   * Batch norm with the batch's statistics, differentiable in x, gamma and beta; hands the
   * statistics to `sink` (once per forward pass; `sink` may be a no-op on recomputation).
   */
  batchNormTraining(
    x: Tensor4D,
    gamma: Tensor,
    beta: Tensor,
    epsilon: number,
    sink: StatisticsSink,
  ): Tensor4D;
  /** A flattener for tensors of `shapes`, in that order (the optimiser's one-vector view). */
  flattener(shapes: readonly (readonly number[])[]): Flattener;
  /** Batch norm with stored statistics (inference). */
  batchNormInference(
    x: Tensor4D,
    gamma: Tensor,
    beta: Tensor,
    mean: Tensor,
    variance: Tensor,
    epsilon: number,
  ): Tensor4D;
}

/** Flattens tensors of fixed shapes, in a fixed order, into one 1-D tensor. */
export interface Flattener {
  flatten(tensors: readonly Tensor[]): Tensor;
  dispose(): void;
}
