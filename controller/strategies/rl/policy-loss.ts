/**
 * The controller's training objective in tfjs, with gradients by autodiff. The LSTM is unrolled over
 * the 2 x 5B slots with the chosen decisions fed back (teacher forcing), so a minibatch of decision
 * sequences is scored in one pass: input projections for every step in one matmul, then one
 * recurrent matmul per step, then every slot's masked softmax head in one batched matmul.
 */
import type { RlAlgorithm } from '../types.ts';
import {
  PARAM_NAMES,
  inputTokens,
  mapParams,
  type ParamName,
  type PolicyLayout,
  type PolicyParams,
} from './policy-layout.ts';
import { tf, useCpuBackend } from './tf.ts';

/** One finished trial as the loss sees it. */
export interface TrainingExample {
  readonly decisions: readonly number[];
  /** Log-probability under the policy that sampled it (PPO's importance-ratio denominator). */
  readonly oldLogp: number;
  /** Reward minus baseline. */
  readonly advantage: number;
}

/** The loss's hyper-parameters. */
export interface LossOptions {
  readonly algorithm: RlAlgorithm;
  /** PPO ratio clip epsilon. */
  readonly clip: number;
  readonly entropyWeight: number;
}

/** The loss value and its gradient with respect to every parameter. */
export interface LossAndGradients {
  readonly loss: number;
  readonly grads: PolicyParams;
}

/** Logit added to a slot's invalid choices: exp underflows to exactly 0 in float32, with no NaN. */
const MASKED = -1e9;

type ParamTensors = Readonly<Record<ParamName, tf.Tensor>>;

/**
 * PPO: -mean(min(ratio A, clip(ratio, 1 - eps, 1 + eps) A)) - w mean(H), ratio = exp(logp - oldLogp).
 * REINFORCE: -mean(A logp) - w mean(H). H is a sequence's summed per-slot entropy.
 */
export function lossAndGradients(
  layout: PolicyLayout,
  params: PolicyParams,
  examples: readonly TrainingExample[],
  options: LossOptions,
): LossAndGradients {
  useCpuBackend();
  let result: LossAndGradients | undefined;
  tf.tidy(() => {
    const args = PARAM_NAMES.map((name) => tf.tensor(params[name], [...layout.shapes[name]]));
    const f = (...tensors: tf.Tensor[]): tf.Scalar =>
      objective(layout, byName(tensors), examples, options);
    const { value, grads } = tf.valueAndGrads(f)(args);
    const loss = value.dataSync()[0] ?? NaN;
    const arrays = mapParams(layout, (name) => {
      const grad = grads[PARAM_NAMES.indexOf(name)];
      if (grad === undefined) throw new RangeError(`no gradient for ${name}`);
      return Float32Array.from(grad.dataSync());
    });
    result = { loss, grads: arrays };
  });
  if (result === undefined) throw new RangeError('the loss was not computed');
  return result;
}

/** The log-probability of each decision sequence under `params`, computed by tfjs. */
export function logProbs(
  layout: PolicyLayout,
  params: PolicyParams,
  sequences: readonly (readonly number[])[],
): number[] {
  useCpuBackend();
  return tf.tidy(() => {
    const p = byName(PARAM_NAMES.map((name) => tf.tensor(params[name], [...layout.shapes[name]])));
    return Array.from(sequenceTerms(layout, p, sequences).logp.dataSync());
  });
}

function byName(tensors: readonly tf.Tensor[]): ParamTensors {
  const get = (name: ParamName): tf.Tensor => {
    const t = tensors[PARAM_NAMES.indexOf(name)];
    if (t === undefined) throw new RangeError(`missing parameter ${name}`);
    return t;
  };
  return {
    embedding: get('embedding'),
    wx: get('wx'),
    wh: get('wh'),
    bias: get('bias'),
    head: get('head'),
    headBias: get('headBias'),
  };
}

function objective(
  layout: PolicyLayout,
  p: ParamTensors,
  examples: readonly TrainingExample[],
  options: LossOptions,
): tf.Scalar {
  const { logp, entropy } = sequenceTerms(
    layout,
    p,
    examples.map((e) => e.decisions),
  );
  const advantage = tf.tensor1d(examples.map((e) => e.advantage));
  const bonus = tf.mul(options.entropyWeight, tf.mean(entropy));
  if (options.algorithm === 'reinforce') {
    return tf.neg(tf.add(tf.mean(tf.mul(advantage, logp)), bonus));
  }
  const ratio = tf.exp(tf.sub(logp, tf.tensor1d(examples.map((e) => e.oldLogp))));
  const clipped = tf.clipByValue(ratio, 1 - options.clip, 1 + options.clip);
  const surrogate = tf.minimum(tf.mul(ratio, advantage), tf.mul(clipped, advantage));
  return tf.neg(tf.add(tf.mean(surrogate), bonus));
}

/** Per sequence: the summed log-probability of its decisions and the summed entropy of its slots. */
function sequenceTerms(
  layout: PolicyLayout,
  p: ParamTensors,
  sequences: readonly (readonly number[])[],
): { logp: tf.Tensor1D; entropy: tf.Tensor1D } {
  const { steps, units: h, width } = layout;
  const n = sequences.length;
  const tokens = new Int32Array(steps * n);
  const actions = new Int32Array(steps * n);
  sequences.forEach((decisions, i) => {
    inputTokens(layout, decisions).forEach((token, t) => (tokens[t * n + i] = token));
    decisions.forEach((d, t) => (actions[t * n + i] = d));
  });
  // Every step's input projection at once: one-hot tokens x (embedding x wx + bias).
  const tokenGates = tf.add(tf.matMul(p.embedding, p.wx), p.bias);
  const oneHotTokens = tf.oneHot(tf.tensor1d(tokens, 'int32'), layout.vocab, 1, 0, 'float32');
  const xg = tf.reshape(tf.matMul(oneHotTokens, tokenGates), [steps, n, 4 * h]);
  // The state is kept transposed ([units, n]) so that gate slices are contiguous rows: the cpu
  // backend copies those with subarray, but walks column slices element by element.
  const xGates = tf.unstack(tf.transpose(xg, [0, 2, 1]));
  let hT: tf.Tensor = tf.zeros([h, n]);
  let cT: tf.Tensor = tf.zeros([h, n]);
  const hs: tf.Tensor[] = [];
  for (const xgt of xGates) {
    const gates = tf.add(tf.matMul(p.wh, hT, true, false), xgt);
    const ifo = tf.sigmoid(tf.slice(gates, [0, 0], [3 * h, n]));
    const candidate = tf.tanh(tf.slice(gates, [3 * h, 0], [h, n]));
    const gate = (k: number): tf.Tensor => tf.slice(ifo, [k * h, 0], [h, n]);
    cT = tf.add(tf.mul(gate(1), cT), tf.mul(gate(0), candidate));
    hT = tf.mul(gate(2), tf.tanh(cT));
    hs.push(hT);
  }
  const bias = tf.add(tf.reshape(p.headBias, [steps, 1, width]), maskTensor(layout));
  const logits = tf.add(tf.matMul(tf.stack(hs), p.head, true, false), bias);
  const lsm = tf.logSoftmax(logits);
  const chosen = tf.oneHot(tf.tensor2d(actions, [steps, n], 'int32'), width);
  return {
    logp: tf.sum(tf.mul(lsm, chosen), [0, 2]),
    entropy: tf.neg(tf.sum(tf.mul(tf.exp(lsm), lsm), [0, 2])),
  };
}

/** [T, 1, W]: 0 for a slot's valid choices, {@link MASKED} for the rest. */
function maskTensor(layout: PolicyLayout): tf.Tensor {
  const { steps, width } = layout;
  const mask = new Float32Array(steps * width);
  for (let t = 0; t < steps; t++) {
    for (let a = layout.choices[t] ?? width; a < width; a++) mask[t * width + a] = MASKED;
  }
  return tf.tensor3d(mask, [steps, 1, width]);
}
