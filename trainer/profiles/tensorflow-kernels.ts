/**
 * TensorFlow ops that tfjs does not reach, as tfjs kernels of the `tensorflow` backend, each one
 * TensorFlow op call through tfjs-node's binding: the training batch norm and its gradient
 * (FusedBatchNorm / FusedBatchNormGrad with is_training; tfjs has no training-mode fused batch
 * norm, and composing one costs about 30 calls per layer) and ReluGrad (tfjs differentiates ReLU
 * as dy * step(x), seven calls on this backend).
 */
import { tf } from '../tf.ts';
import type { KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '../tf.ts';

/** Inputs x, scale, offset; attr epsilon; outputs y, batch mean, unbiased batch variance, 2 reserves. */
export const BATCH_NORM_TRAINING = 'CellsearchFusedBatchNormTraining';

/** Inputs dy, x, scale, reserve1, reserve2; attr epsilon; outputs dx, dscale, doffset. */
export const BATCH_NORM_TRAINING_GRAD = 'CellsearchFusedBatchNormTrainingGrad';

/** Inputs indices0..n-1 and data0..n-1, attr n; output data[i] placed at indices[i] (1-D here). */
export const DYNAMIC_STITCH = 'CellsearchDynamicStitch';

/** Inputs dy, filter; attrs inputShape, rate; output a stride-1 SAME dilated conv's dx. */
export const DILATED_CONV_GRAD_INPUT = 'CellsearchDilatedConv2DBackpropInput';

/** Inputs x, dy; attrs filterShape, rate; output a stride-1 SAME dilated conv's dfilter. */
export const DILATED_CONV_GRAD_FILTER = 'CellsearchDilatedConv2DBackpropFilter';

/** Inputs dy and x (the ReLU's input); output dy where x > 0, else 0. */
export const RELU_GRAD = 'CellsearchReluGrad';

/** One attribute of a TensorFlow op, as tfjs-node's binding takes it. */
interface OpAttr {
  readonly name: string;
  readonly type: number;
  readonly value: number | string | boolean | readonly number[];
}

/** The part of tfjs-node's NodeJSKernelBackend these kernels use. */
interface NativeBackend {
  readonly binding: Readonly<Record<string, unknown>>;
  executeSingleOutput(
    name: string,
    attrs: readonly OpAttr[],
    inputs: readonly TensorInfo[],
  ): Tensor;
  executeMultipleOutputs(
    name: string,
    attrs: readonly OpAttr[],
    inputs: readonly TensorInfo[],
    outputs: number,
  ): Tensor[];
}

function isNativeBackend(b: unknown): b is NativeBackend {
  return (
    typeof b === 'object' &&
    b !== null &&
    'executeMultipleOutputs' in b &&
    typeof b.executeMultipleOutputs === 'function' &&
    'binding' in b &&
    typeof b.binding === 'object'
  );
}

function constant(backend: NativeBackend, name: string): number {
  const value = backend.binding[name];
  if (typeof value !== 'number') throw new Error(`tfjs-node's binding has no ${name}`);
  return value;
}

function float32(backend: NativeBackend): OpAttr {
  return {
    name: 'T',
    type: constant(backend, 'TF_ATTR_TYPE'),
    value: constant(backend, 'TF_FLOAT'),
  };
}

/** T = float32, epsilon, NHWC, is_training: the attributes both batch norm ops share. */
function attrs(backend: NativeBackend, epsilon: NamedAttrMap[string] | undefined): OpAttr[] {
  if (typeof epsilon !== 'number') throw new Error('batch norm: epsilon must be a number');
  return [
    float32(backend),
    { name: 'epsilon', type: constant(backend, 'TF_ATTR_FLOAT'), value: epsilon },
    { name: 'data_format', type: constant(backend, 'TF_ATTR_STRING'), value: 'NHWC' },
    { name: 'is_training', type: constant(backend, 'TF_ATTR_BOOL'), value: true },
  ];
}

function input(inputs: Parameters<KernelFunc>[0]['inputs'], name: string): TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`batch norm: no input ${name}`);
  return t;
}

const training: KernelFunc = ({ inputs, backend, attrs: a = {} }) => {
  if (!isNativeBackend(backend)) throw new Error(`${BATCH_NORM_TRAINING} needs tfjs-node`);
  const empty = tf.tensor1d([]);
  try {
    const xs = ['x', 'scale', 'offset'].map((name) => input(inputs, name));
    return backend.executeMultipleOutputs(
      'FusedBatchNorm',
      attrs(backend, a['epsilon']),
      [...xs, empty, empty],
      5,
    );
  } finally {
    empty.dispose();
  }
};

const gradient: KernelFunc = ({ inputs, backend, attrs: a = {} }) => {
  if (!isNativeBackend(backend)) throw new Error(`${BATCH_NORM_TRAINING_GRAD} needs tfjs-node`);
  const names = ['dy', 'x', 'scale', 'reserve1', 'reserve2'];
  const outputs = backend.executeMultipleOutputs(
    'FusedBatchNormGrad',
    attrs(backend, a['epsilon']),
    names.map((name) => input(inputs, name)),
    5,
  );
  for (const spare of outputs.slice(3)) spare.dispose();
  return outputs.slice(0, 3);
};

const reluGrad: KernelFunc = ({ inputs, backend }) => {
  if (!isNativeBackend(backend)) throw new Error(`${RELU_GRAD} needs tfjs-node`);
  const operands = [input(inputs, 'dy'), input(inputs, 'x')];
  return backend.executeSingleOutput('ReluGrad', [float32(backend)], operands);
};

const dynamicStitch: KernelFunc = ({ inputs, backend, attrs: a = {} }) => {
  if (!isNativeBackend(backend)) throw new Error(`${DYNAMIC_STITCH} needs tfjs-node`);
  const n = a['n'];
  if (typeof n !== 'number') throw new Error(`${DYNAMIC_STITCH}: attr n must be a number`);
  const range = Array.from({ length: n }, (_, i) => i);
  const operands = [
    ...range.map((i) => input(inputs, `indices${i}`)),
    ...range.map((i) => input(inputs, `data${i}`)),
  ];
  const attrs = [{ name: 'N', type: constant(backend, 'TF_ATTR_INT'), value: n }, float32(backend)];
  return backend.executeSingleOutput('DynamicStitch', attrs, operands);
};

/** Conv2DBackpropInput or -Filter of a stride-1 SAME conv dilated by attr `rate`. */
function dilatedBackprop(
  op: string,
  shapeAttr: string,
  names: readonly [string, string],
): KernelFunc {
  return ({ inputs, backend, attrs: a = {} }) => {
    if (!isNativeBackend(backend)) throw new Error(`${op} (dilated) needs tfjs-node`);
    const shape = a[shapeAttr];
    const rate = a['rate'];
    if (!isNumbers(shape) || !isNumbers(rate)) throw new Error(`${op}: bad ${shapeAttr} or rate`);
    const int = constant(backend, 'TF_ATTR_INT');
    const attrs = [
      float32(backend),
      { name: 'strides', type: int, value: [1, 1, 1, 1] },
      { name: 'padding', type: constant(backend, 'TF_ATTR_STRING'), value: 'SAME' },
      { name: 'data_format', type: constant(backend, 'TF_ATTR_STRING'), value: 'NHWC' },
      { name: 'dilations', type: int, value: [1, rate[0] ?? 1, rate[1] ?? 1, 1] },
    ];
    const sizes = tf.tensor1d(shape, 'int32');
    try {
      const [first, second] = names.map((name) => input(inputs, name));
      if (first === undefined || second === undefined) throw new Error(`${op}: missing inputs`);
      const operands =
        op === 'Conv2DBackpropInput' ? [sizes, first, second] : [first, sizes, second];
      return backend.executeSingleOutput(op, attrs, operands);
    } finally {
      sizes.dispose();
    }
  };
}

function isNumbers(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((n) => typeof n === 'number');
}

/** Registers these kernels for the `tensorflow` backend (idempotent). */
export function registerTensorflowKernels(): void {
  for (const [kernelName, kernelFunc] of [
    [BATCH_NORM_TRAINING, training],
    [BATCH_NORM_TRAINING_GRAD, gradient],
    [RELU_GRAD, reluGrad],
    [DYNAMIC_STITCH, dynamicStitch],
    [
      DILATED_CONV_GRAD_INPUT,
      dilatedBackprop('Conv2DBackpropInput', 'inputShape', ['filter', 'dy']),
    ],
    [DILATED_CONV_GRAD_FILTER, dilatedBackprop('Conv2DBackpropFilter', 'filterShape', ['x', 'dy'])],
  ] as const) {
    if (tf.getKernel(kernelName, 'tensorflow') !== undefined) continue;
    tf.registerKernel({ kernelName, backendName: 'tensorflow', kernelFunc });
  }
}
