/**
 * Convolution backprops written as forward convolutions over rearranged tensors, composed from
 * registered kernels (Transpose, Reshape, PadV2, Slice, Reverse, Sum, Conv2D,
 * DepthwiseConv2dNative) so that a backend's fast forward kernels (XNNPACK on wasm) do the work.
 */
import { tf } from '../tf.ts';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '../tf.ts';
import { input, readConvBackpropAttrs, readShape4, shape4 } from './conv-attrs.ts';
import type { Shape4 } from './conv-attrs.ts';
import type { KernelScope } from './kernel-scope.ts';
import { pointwiseFilterGrad } from './pointwise-grads.ts';
import { tapwiseDepthwiseFilterGrad, tapwiseIsFaster } from './depthwise-filter-grad.ts';

/** A kernel body: computes the kernel's output in `scope`, which owns every intermediate. */
export type ConvBackprop = (
  scope: KernelScope,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
) => TensorInfo;

/** The tfjs kernels composed here. */
export type ConvBackpropKernel =
  | 'Conv2DBackpropFilter'
  | 'Conv2DBackpropInput'
  | 'DepthwiseConv2dNativeBackpropInput'
  | 'DepthwiseConv2dNativeBackpropFilter';

/** Every kernel composed here. */
export const CONV_BACKPROP_KERNELS: readonly ConvBackpropKernel[] = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
];

/** The body of each composed kernel, by tfjs kernel name. */
export const CONV_BACKPROPS: Readonly<Record<ConvBackpropKernel, ConvBackprop>> = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
};

/**
 * dW[i,j,c,o] = sum over b,y,x of xpad[b, y*sh+i, x*sw+j, c] * dy[b,y,x,o]: a VALID convolution of
 * x seen as [Ci, H, W, B] with dy seen as a [Ho, Wo, B, Co] filter dilated by the strides; for an
 * unpadded 1x1 kernel, one matrix product (./pointwise-grads.ts).
 */
function conv2dBackpropFilter(s: KernelScope, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) {
  const name = 'Conv2DBackpropFilter';
  const x = input(name, inputs, 'x');
  const dy = input(name, inputs, 'dy');
  const { strides, pad, dimRoundingMode } = readConvBackpropAttrs(name, attrs);
  const filterShape = readShape4(name, attrs, 'filterShape');
  const info = tf.backend_util.computeConv2DInfo(
    shape4(name, x),
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { top, left, bottom, right } = info.padInfo;
  if (filterShape[0] === 1 && filterShape[1] === 1 && top + left + bottom + right === 0) {
    return pointwiseFilterGrad(s, x, dy, strides);
  }
  const xw = s.window(x, [-top, -left], span(info, filterShape));
  const out = s.run(
    'Conv2D',
    { x: s.transpose(xw, [3, 1, 2, 0]), filter: s.transpose(dy, [1, 2, 0, 3]) },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: strides },
  );
  return s.transpose(out, [1, 2, 0, 3]);
}

/**
 * dx = the full correlation of dy (zeros inserted between rows/columns for the stride) with the
 * filter flipped in space and transposed to [kh, kw, out, in]: a VALID forward convolution.
 */
function conv2dBackpropInput(s: KernelScope, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) {
  const name = 'Conv2DBackpropInput';
  const dy = input(name, inputs, 'dy');
  const filter = input(name, inputs, 'filter');
  const { strides, pad, dimRoundingMode } = readConvBackpropAttrs(name, attrs);
  const inputShape = readShape4(name, attrs, 'inputShape');
  const [, h, w] = inputShape;
  const [kh, kw] = shape4(name, filter);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    shape4(name, filter),
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { top, left } = info.padInfo;
  const spread = s.spread(dy, strides);
  const v = s.window(spread, [top - (kh - 1), left - (kw - 1)], [h + kh - 1, w + kw - 1]);
  const flipped = s.transpose(s.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  return s.run(
    'Conv2D',
    { x: v, filter: flipped },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
  );
}

/**
 * dW[i,j,c,q] = sum over b,y,x of xpad[b, y*sh+i, x*sw+j, c] * dy[b,y,x,c*m+q]. Tap by tap
 * where that is faster (./depthwise-filter-grad.ts); otherwise a VALID depthwise convolution of x
 * seen as one [H, W, B*C] image with dy as a [Ho, Wo, B*C, m] dilated filter, then a batch sum.
 */
function depthwiseBackpropFilter(s: KernelScope, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) {
  const name = 'DepthwiseConv2dNativeBackpropFilter';
  const x = input(name, inputs, 'x');
  const dy = input(name, inputs, 'dy');
  const { strides, pad, dimRoundingMode } = readDepthwiseAttrs(name, attrs);
  const filterShape = readShape4(name, attrs, 'filterShape');
  const [kh, kw, c, m] = filterShape;
  const [b] = shape4(name, x);
  const [, ho, wo] = shape4(name, dy);
  const info = tf.backend_util.computeConv2DInfo(
    shape4(name, x),
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    true,
  );
  if (m === 1 && tapwiseIsFaster(info, shape4(name, x), filterShape)) {
    const before: [number, number] = [info.padInfo.top, info.padInfo.left];
    return tapwiseDepthwiseFilterGrad(s, x, dy, filterShape, strides, before);
  }
  const [h, w] = span(info, filterShape);
  const xw = s.window(x, [-info.padInfo.top, -info.padInfo.left], [h, w]);
  const image = s.reshape(s.transpose(xw, [1, 2, 0, 3]), [1, h, w, b * c]);
  const filter = s.reshape(s.transpose(dy, [1, 2, 0, 3]), [ho, wo, b * c, m]);
  const out = s.run(
    'DepthwiseConv2dNative',
    { x: image, filter },
    { strides: [1, 1], pad: 'valid', dilations: strides },
  );
  const perBatch = s.sum(s.reshape(out, [kh, kw, b, c * m]), [2]);
  return s.reshape(perBatch, filterShape);
}

/**
 * dx = the full correlation of dy (zeros inserted between rows/columns for the stride) with the
 * flipped filter: a VALID depthwise convolution over dy's C*m channels, then a sum over m.
 */
function depthwiseBackpropInput(s: KernelScope, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) {
  const name = 'DepthwiseConv2dNativeBackpropInput';
  const dy = input(name, inputs, 'dy');
  const filter = input(name, inputs, 'filter');
  const { strides, pad, dimRoundingMode } = readDepthwiseAttrs(name, attrs);
  const inputShape = readShape4(name, attrs, 'inputShape');
  const [b, h, w, c] = inputShape;
  const [kh, kw, , m] = shape4(name, filter);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    shape4(name, filter),
    strides,
    1,
    pad,
    dimRoundingMode,
    true,
  );
  const spread = s.spread(dy, strides);
  const { top, left } = info.padInfo;
  const v = s.window(spread, [top - (kh - 1), left - (kw - 1)], [h + kh - 1, w + kw - 1]);
  const flipped = s.reshape(s.reverse(filter, [0, 1]), [kh, kw, c * m, 1]);
  const dx = s.run(
    'DepthwiseConv2dNative',
    { x: v, filter: flipped },
    { strides: [1, 1], pad: 'valid', dilations: [1, 1] },
  );
  return m === 1 ? dx : s.sum(s.reshape(dx, [b, h, w, c, m]), [4]);
}

/** Rows and columns of padded input that the forward convolution read. */
function span(
  info: { outHeight: number; outWidth: number; strideHeight: number; strideWidth: number },
  filterShape: Shape4,
): [number, number] {
  return [
    (info.outHeight - 1) * info.strideHeight + filterShape[0],
    (info.outWidth - 1) * info.strideWidth + filterShape[1],
  ];
}

/** Depthwise backprops here support dilation 1 only, as tfjs-core's depthwise gradient does. */
function readDepthwiseAttrs(name: string, attrs: NamedAttrMap) {
  const read = readConvBackpropAttrs(name, attrs);
  if (read.dilations[0] !== 1 || read.dilations[1] !== 1) {
    throw new Error(`${name}: dilations must be 1, got ${read.dilations.join('x')}`);
  }
  return read;
}
