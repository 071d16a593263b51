/** Per-channel mean and standard deviation of a split, for normalising its images. */
import type { ImageSplit } from './image-dataset.ts';

/** Per-channel statistics on the [0, 1] scale (pixel byte / 255), one entry per channel. */
export interface ChannelStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * The mean and (population) standard deviation of each channel over every pixel of `split`, on the
 * [0, 1] scale; normalise with `(byte / 255 - mean[c]) / std[c]`. Compute them on the training split only.
 */
export function channelStats(split: ImageSplit): ChannelStats {
  const channels = split.shape.channels;
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  const { images } = split;
  for (let i = 0; i < images.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = images[i + c] ?? 0;
      sum[c] = (sum[c] ?? 0) + v;
      sumSq[c] = (sumSq[c] ?? 0) + v * v;
    }
  }
  const pixels = images.length / channels;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    const m = pixels === 0 ? 0 : (sum[c] ?? 0) / pixels;
    const variance = pixels === 0 ? 0 : Math.max(0, (sumSq[c] ?? 0) / pixels - m * m);
    mean.push(m / 255);
    std.push(Math.sqrt(variance) / 255);
  }
  return { mean, std };
}
