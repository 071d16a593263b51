/**
 * Feature-map shapes and the output sizes of windowed layers as TensorFlow computes them. The
 * network plan and the complexity count share these, so shapes and costs cannot disagree.
 */

/** The shape of one example's feature map (NHWC without the batch axis). */
export interface Shape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** SAME padding: `ceil(size / stride)`, whatever the kernel (TensorFlow's `padding='SAME'`). */
export function sameOutputSize(size: number, stride: number): number {
  return Math.ceil(size / stride);
}

/** VALID padding: `floor((size - kernel) / stride) + 1`; 0 when the kernel does not fit. */
export function validOutputSize(size: number, kernel: number, stride: number): number {
  return size < kernel ? 0 : Math.floor((size - kernel) / stride) + 1;
}

/** The shape after a SAME-padded layer of the given stride with `channels` output channels. */
export function sameShape(input: Shape, stride: number, channels: number): Shape {
  return {
    height: sameOutputSize(input.height, stride),
    width: sameOutputSize(input.width, stride),
    channels,
  };
}

/** True when two shapes have the same height and width (channels may differ). */
export function sameSpatialSize(a: Shape, b: Shape): boolean {
  return a.height === b.height && a.width === b.width;
}
