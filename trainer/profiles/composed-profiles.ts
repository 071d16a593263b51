/**
 * The profiles of the two JavaScript-side backends, wasm and cpu: batch norm and average pooling
 * composed of fast ops, the conv backprop kernels tfjs-backend-wasm lacks (../kernels), and on
 * wasm the fixes for its SAME padding and MaxPoolGrad bugs and its faster copy kernels.
 */
import { registerConvGradKernels, SLOW_NATIVE_BACKPROPS } from '../kernels/wasm-conv-grads.ts';
import { registerWasmKernels } from '../kernels/wasm-kernels.ts';
import { tf } from '../tf.ts';
import type { Tensor4D } from '../tf.ts';
import { spaceToBatchAtrousConv2d } from './atrous-conv.ts';
import type { BackendProfile, ConvPadding } from './backend-profile.ts';
import { composedBatchNormInference, composedBatchNormTraining } from './composed-batch-norm.ts';
import { depthwiseAvgPool, shiftedMaxPool } from './composed-pooling.ts';
import { concatFlattener } from './flatteners.ts';

/**
 * SAME padding spelled out as explicit numbers: tfjs-backend-wasm 4.22's SAME mode gives wrong
 * outputs (zeros) when an axis with a 1-wide kernel and a stride > 1 needs no padding while the
 * other axis does (e.g. a 3x1 kernel at stride [1, 2]); its explicit padding is correct.
 */
export function explicitSamePadding(
  x: Tensor4D,
  filter: Tensor4D,
  strides: [number, number],
  depthwise: boolean,
): ConvPadding {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filter.shape,
    strides,
    1,
    'same',
    undefined,
    depthwise,
  );
  const { top, bottom, left, right } = info.padInfo;
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

const plainMaxPool =
  (kernel: number, stride: number) =>
  (x: Tensor4D): Tensor4D =>
    tf.maxPool(x, kernel, stride, 'same');

/** tfjs-backend-wasm: XNNPACK kernels, one thread, a 4 GiB heap (hence checkpointing). */
export const WASM_PROFILE: BackendProfile = {
  backend: 'wasm',
  checkpointCells: true,
  install() {
    registerConvGradKernels('wasm', { replace: SLOW_NATIVE_BACKPROPS['wasm'] ?? [] });
    registerWasmKernels();
  },
  ensureKernels() {
    registerConvGradKernels('wasm');
  },
  relu: (x) => tf.relu(x),
  conv2d: (x, filter, s) => tf.conv2d(x, filter, s, explicitSamePadding(x, filter, s, false)),
  atrousConv2d: spaceToBatchAtrousConv2d,
  convPadding: explicitSamePadding,
  maxPool: shiftedMaxPool,
  avgPool: (kernel, stride, input) =>
    depthwiseAvgPool(kernel, stride, input, (x, f, s) => explicitSamePadding(x, f, s, true)),
  flattener: concatFlattener,
  batchNormTraining: composedBatchNormTraining,
  batchNormInference: composedBatchNormInference,
};

/** tfjs-backend-cpu (plain JavaScript): a reference more than a way to train. */
export const CPU_PROFILE: BackendProfile = {
  backend: 'cpu',
  checkpointCells: true,
  install() {
    registerConvGradKernels('cpu', { replace: SLOW_NATIVE_BACKPROPS['cpu'] ?? [] });
  },
  ensureKernels() {
    registerConvGradKernels('cpu');
  },
  relu: (x) => tf.relu(x),
  conv2d: (x, filter, s) => tf.conv2d(x, filter, s, 'same'),
  atrousConv2d: spaceToBatchAtrousConv2d,
  convPadding: () => 'same',
  maxPool: plainMaxPool,
  avgPool: (kernel, stride, input) => depthwiseAvgPool(kernel, stride, input, () => 'same'),
  flattener: concatFlattener,
  batchNormTraining: composedBatchNormTraining,
  batchNormInference: composedBatchNormInference,
};
