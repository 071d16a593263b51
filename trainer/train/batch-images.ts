/**
 * Turns a batch of dataset examples into the float input of a network: normalised per channel, and
 * for training augmented as in the paper's CIFAR pipeline (pad 4 and random crop, horizontal flip,
 * cutout). Plain typed arrays, seeded, no tfjs: repeatable and testable without a backend.
 */
import type { Rng } from '../../shared/rng.ts';
import type { ChannelStats } from '../data/channel-stats.ts';
import type { ImageSplit } from '../data/image-dataset.ts';

/** Augmentation switches; all off gives the plain normalised images (validation and test). */
export interface Augmentation {
  /** Zero-pad this many pixels on every side, then crop back to the original size at random (0 = off). */
  readonly pad: number;
  readonly flip: boolean;
  /** Side of the square set to zero at a random centre (0 = off); it may extend past the border. */
  readonly cutout: number;
}

/** No augmentation. */
export const NO_AUGMENTATION: Augmentation = Object.freeze({ pad: 0, flip: false, cutout: 0 });

/**
 * The examples at `indices` as NHWC float32, `(byte / 255 - mean) / std` per channel. Padding is
 * zero after normalisation (the mean colour), as is the cutout square.
 */
export function batchImages(
  split: ImageSplit,
  indices: readonly number[],
  stats: ChannelStats,
  augmentation: Augmentation,
  rng: Rng,
): Float32Array {
  const { height, width, channels } = split.shape;
  const size = height * width * channels;
  const out = new Float32Array(indices.length * size);
  const scale = Array.from({ length: channels }, (_, c) => 1 / (255 * (stats.std[c] ?? 1)));
  const shift = Array.from(
    { length: channels },
    (_, c) => (stats.mean[c] ?? 0) / (stats.std[c] ?? 1),
  );
  indices.forEach((example, i) => {
    const dy = augmentation.pad > 0 ? rng.int(2 * augmentation.pad + 1) - augmentation.pad : 0;
    const dx = augmentation.pad > 0 ? rng.int(2 * augmentation.pad + 1) - augmentation.pad : 0;
    const flip = augmentation.flip && rng.next() < 0.5;
    const view = { src: example * size, dst: i * size, dy, dx, flip };
    copyShifted(split.images, out, split.shape, view, scale, shift);
    if (augmentation.cutout > 0) cutout(out, i * size, split.shape, augmentation.cutout, rng);
  });
  return out;
}

interface View {
  readonly src: number;
  readonly dst: number;
  readonly dy: number;
  readonly dx: number;
  readonly flip: boolean;
}

/** Output pixel (y, x) reads input (y + dy, x' + dx) with x' mirrored when flipping; outside reads 0. */
function copyShifted(
  images: Uint8Array,
  out: Float32Array,
  shape: ImageSplit['shape'],
  v: View,
  scale: readonly number[],
  shift: readonly number[],
): void {
  const { height, width, channels } = shape;
  for (let y = 0; y < height; y++) {
    const sy = y + v.dy;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < width; x++) {
      const sx = (v.flip ? width - 1 - x : x) + v.dx;
      if (sx < 0 || sx >= width) continue;
      const from = v.src + (sy * width + sx) * channels;
      const to = v.dst + (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        out[to + c] = (images[from + c] ?? 0) * (scale[c] ?? 1) - (shift[c] ?? 0);
      }
    }
  }
}

function cutout(
  out: Float32Array,
  offset: number,
  shape: ImageSplit['shape'],
  side: number,
  rng: Rng,
): void {
  const { height, width, channels } = shape;
  const cy = rng.int(height);
  const cx = rng.int(width);
  const y0 = Math.max(0, cy - Math.floor(side / 2));
  const x0 = Math.max(0, cx - Math.floor(side / 2));
  const y1 = Math.min(height, cy - Math.floor(side / 2) + side);
  const x1 = Math.min(width, cx - Math.floor(side / 2) + side);
  for (let y = y0; y < y1; y++) {
    out.fill(0, offset + (y * width + x0) * channels, offset + (y * width + x1) * channels);
  }
}
