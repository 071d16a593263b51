/**
 * Costs of single layers, added into a running total without allocating. Parameters count what
 * tfjs `countParams()` counts as trainable; BN moving mean and variance are kept apart.
 * Multiply-adds count convolutions and dense layers only (pooling, BN and ReLU are free), the
 * convention of the NASNet paper's mult-add column.
 */

/** Trainable parameters, non-trainable BN statistics and multiply-adds of part of a network. */
export interface Cost {
  readonly params: number;
  readonly bnStatistics: number;
  readonly multAdds: number;
}

/** A running total that the `add*` functions mutate. */
export interface CostTotal {
  params: number;
  bnStatistics: number;
  multAdds: number;
}

/** A fresh zero total. */
export function zeroCost(): CostTotal {
  return { params: 0, bnStatistics: 0, multAdds: 0 };
}

/** Adds `part` into `total`. */
export function addCost(total: CostTotal, part: Cost): void {
  total.params += part.params;
  total.bnStatistics += part.bnStatistics;
  total.multAdds += part.multAdds;
}

/** A bias-free convolution producing `outHeight x outWidth x outChannels` with a `kh x kw` kernel. */
export function addConv(
  total: CostTotal,
  outHeight: number,
  outWidth: number,
  kh: number,
  kw: number,
  inChannels: number,
  outChannels: number,
): void {
  const weights = kh * kw * inChannels * outChannels;
  total.params += weights;
  total.multAdds += outHeight * outWidth * weights;
}

/** A depthwise convolution (depth multiplier 1, no bias) over `channels`, producing `outHeight x outWidth`. */
export function addDepthwise(
  total: CostTotal,
  outHeight: number,
  outWidth: number,
  kh: number,
  kw: number,
  channels: number,
): void {
  const weights = kh * kw * channels;
  total.params += weights;
  total.multAdds += outHeight * outWidth * weights;
}

/** Batch normalisation with scale: gamma and beta are trained, moving mean and variance are not. */
export function addBatchNorm(total: CostTotal, channels: number): void {
  total.params += 2 * channels;
  total.bnStatistics += 2 * channels;
}

/** A dense layer with bias. */
export function addDense(total: CostTotal, inputs: number, units: number): void {
  total.params += inputs * units + units;
  total.multAdds += inputs * units;
}
