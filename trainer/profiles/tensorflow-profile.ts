/**
 * The `tensorflow` backend's profile (tfjs-node and tfjs-node-gpu): TensorFlow's own kernels for
 * everything — pooling and its gradients (which exclude padding as the forward does), conv
 * backprops, and its fused training batch norm — and no checkpointing, since a native process
 * has no 4 GiB heap. Each kernel call costs tens of microseconds here, so fewer and larger ops win.
 */
import { tf } from '../tf.ts';
import type { Tensor, Tensor1D, Tensor4D } from '../tf.ts';
import type { BackendProfile } from './backend-profile.ts';
import { stitchFlattener } from './flatteners.ts';
import { subsample } from './subsample.ts';
import {
  BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD,
  DILATED_CONV_GRAD_FILTER,
  DILATED_CONV_GRAD_INPUT,
  registerTensorflowKernels,
  RELU_GRAD,
} from './tensorflow-kernels.ts';

function isTensor(x: unknown): x is Tensor {
  return x instanceof tf.Tensor;
}

function isTensor4D(x: unknown): x is Tensor4D {
  return x instanceof tf.Tensor && x.rank === 4;
}

function isRank1(t: Tensor): t is Tensor1D {
  return t.rank === 1;
}

/** t itself when it is 1-D (a reshape would be one more kernel call here). */
function rank1(t: Tensor): Tensor1D {
  return isRank1(t) ? t : t.as1D();
}

/** One FusedBatchNorm forward and one FusedBatchNormGrad backward. */
function fusedBatchNormTraining(
  x: Tensor4D,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
  sink: (mean: Tensor, variance: Tensor) => void,
): Tensor4D {
  const op = tf.customGrad((...args) => {
    const save = args[3];
    if (typeof save !== 'function') throw new Error('batchNorm: no save function');
    const inputs = { x, scale: gamma, offset: beta };
    const [y, mean, variance, reserve1, reserve2] = tf
      .engine()
      .runKernel<Tensor[]>(BATCH_NORM_TRAINING, inputs, { epsilon });
    if (!isTensor4D(y) || !isTensor(mean) || !isTensor(variance) || !reserve1 || !reserve2) {
      throw new Error('batchNorm: FusedBatchNorm returned too few outputs');
    }
    sink(mean, variance);
    save([x, reserve1, reserve2]);
    const gradFunc = (dy: Tensor4D, saved: Tensor[]): Tensor[] => {
      const [xs, r1, r2] = saved;
      if (xs === undefined || r1 === undefined || r2 === undefined) {
        throw new Error('batchNorm: the forward tensors were not saved');
      }
      const grads = { dy, x: xs, scale: gamma, reserve1: r1, reserve2: r2 };
      return tf.engine().runKernel<Tensor[]>(BATCH_NORM_TRAINING_GRAD, grads, { epsilon });
    };
    return { value: y, gradFunc };
  });
  return op(x, gamma, beta);
}

/**
 * A SAME convolution; a strided 1x1 one as subsampling and then a stride-1 conv, the same values:
 * with oneDNN on, TensorFlow 2.21's Conv2DBackpropFilter of a strided 1x1 conv with fewer than 8
 * input channels is wrong (errors of 50-90 on a 4x12x12x2 input; the oneDNN bug PyTorch reports
 * as oneDNN issue 6035), and the reduction cells of small searched networks have such convs.
 */
function nativeConv2d(x: Tensor4D, filter: Tensor4D, strides: [number, number]): Tensor4D {
  const [kh, kw] = filter.shape;
  if (kh === 1 && kw === 1 && (strides[0] !== 1 || strides[1] !== 1)) {
    return tf.conv2d(subsample(x, strides), filter, 1, 'same');
  }
  return tf.conv2d(x, filter, strides, 'same');
}

/** TensorFlow's dilated Conv2D and its two dilated backprops (one op call each). */
function nativeAtrousConv2d(x: Tensor4D, filter: Tensor4D, rate: [number, number]): Tensor4D {
  const op = tf.customGrad((...args) => {
    const save = args[2];
    if (typeof save !== 'function') throw new Error('dilated conv: no save function');
    save([x, filter]);
    const gradFunc = (dy: Tensor4D, saved: Tensor[]): Tensor[] => {
      const [xs, fs] = saved;
      if (xs === undefined || fs === undefined) throw new Error('dilated conv: nothing saved');
      const engine = tf.engine();
      const inputShape = [...x.shape];
      const filterShape = [...filter.shape];
      return [
        engine.runKernel<Tensor>(DILATED_CONV_GRAD_INPUT, { dy, filter: fs }, { inputShape, rate }),
        engine.runKernel<Tensor>(DILATED_CONV_GRAD_FILTER, { x: xs, dy }, { filterShape, rate }),
      ];
    };
    return { value: tf.conv2d(x, filter, 1, 'same', 'NHWC', rate), gradFunc };
  });
  return op(x, filter);
}

/** ReLU differentiated by TensorFlow's ReluGrad. */
const nativeRelu = tf.customGrad((x, save) => {
  if (!isTensor4D(x) || typeof save !== 'function') throw new Error('relu: bad arguments');
  save([x]);
  const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor => {
    const [input] = saved;
    if (input === undefined) throw new Error('relu: the input was not saved');
    return tf.engine().runKernel<Tensor>(RELU_GRAD, { dy, x: input });
  };
  return { value: tf.relu(x), gradFunc };
});

/** The profile of tfjs-node's `tensorflow` backend. */
export const TENSORFLOW_PROFILE: BackendProfile = {
  backend: 'tensorflow',
  checkpointCells: false,
  install: registerTensorflowKernels,
  ensureKernels: registerTensorflowKernels,
  relu: (x) => nativeRelu(x),
  conv2d: nativeConv2d,
  atrousConv2d: nativeAtrousConv2d,
  convPadding: () => 'same',
  maxPool: (kernel, stride) => (x) => tf.maxPool(x, kernel, stride, 'same'),
  avgPool: (kernel, stride) => (x) => tf.avgPool(x, kernel, stride, 'same'),
  flattener: stitchFlattener,
  batchNormTraining: fusedBatchNormTraining,
  batchNormInference: (x, gamma, beta, mean, variance, epsilon) =>
    tf.batchNorm4d(x, rank1(mean), rank1(variance), rank1(beta), rank1(gamma), epsilon),
};
