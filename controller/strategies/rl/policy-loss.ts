/**
 * The controller's training objective in tfjs. The LSTM is unrolled over the 2 x 5B slots with the
 * chosen decisions fed back (teacher forcing), so a minibatch of decision sequences is scored in one
 * pass; lstm-unroll.ts runs the recurrence and its backward pass, and the heads, masked softmaxes
 * and the PPO or REINFORCE objective on top of it are differentiated by tfjs' autodiff.
 */
import type { RlAlgorithm } from '../types.ts';
import { lstmBackward, lstmForward } from './lstm-unroll.ts';
import {
  inputTokens,
  type ParamName,
  type PolicyLayout,
  type PolicyParams,
} from './policy-layout.ts';
import { ensureBackend, tf } from './tf.ts';

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
  ensureBackend();
  const h = layout.units;
  return tf.tidy(() => {
    const p = paramTensors(layout, params);
    const sequences = examples.map((e) => e.decisions);
    const fused = fusedWeight(layout, p);
    const unroll = lstmForward(fused, oneHotTokens(layout, sequences), h);
    const heads = (hs: tf.Tensor, head: tf.Tensor, headBias: tf.Tensor): tf.Scalar =>
      objective(headTerms(layout, hs, head, headBias, sequences), examples, options);
    const { value, grads } = tf.valueAndGrads(heads)([unroll.hs, p.head, p.headBias]);
    const [dhs, dHead, dHeadBias] = grads;
    if (dhs === undefined || dHead === undefined || dHeadBias === undefined) {
      throw new RangeError('the head gradients were not computed');
    }
    const lstm = lstmBackward(fused, unroll, tf.reshape(dhs, unroll.hs.shape), h);
    // tokenGates = embedding x wx + bias: the chain rule by hand, two small plain matmuls.
    const dTokenGates = lstm.tokenGates;
    const read = (t: tf.Tensor): Float32Array => Float32Array.from(t.dataSync());
    return {
      loss: value.dataSync()[0] ?? NaN,
      grads: {
        embedding: read(tf.matMul(dTokenGates, tf.transpose(p.wx))),
        wx: read(tf.matMul(tf.transpose(p.embedding), dTokenGates)),
        wh: read(lstm.wh),
        bias: read(tf.sum(dTokenGates, 0)),
        head: read(dHead),
        headBias: read(dHeadBias),
      },
    };
  });
}

/** The log-probability of each decision sequence under `params`, computed by tfjs. */
export function logProbs(
  layout: PolicyLayout,
  params: PolicyParams,
  sequences: readonly (readonly number[])[],
): number[] {
  ensureBackend();
  return tf.tidy(() => {
    const p = paramTensors(layout, params);
    const unroll = lstmForward(
      fusedWeight(layout, p),
      oneHotTokens(layout, sequences),
      layout.units,
    );
    return Array.from(headTerms(layout, unroll.hs, p.head, p.headBias, sequences).logp.dataSync());
  });
}

function paramTensors(layout: PolicyLayout, params: PolicyParams): ParamTensors {
  const t = (name: ParamName): tf.Tensor => tf.tensor(params[name], [...layout.shapes[name]]);
  return {
    embedding: t('embedding'),
    wx: t('wx'),
    wh: t('wh'),
    bias: t('bias'),
    head: t('head'),
    headBias: t('headBias'),
  };
}

/** [1, 4H, H + V]: wh^T next to tokenGates^T, tokenGates = embedding x wx + bias ([V, 4H]). */
function fusedWeight(layout: PolicyLayout, p: ParamTensors): tf.Tensor {
  const tokenGates = tf.add(tf.matMul(p.embedding, p.wx), p.bias);
  const fused = tf.concat([tf.transpose(p.wh), tf.transpose(tokenGates)], 1);
  return tf.reshape(fused, [1, 4 * layout.units, layout.units + layout.vocab]);
}

/** Per step, the one-hot input token of every sequence, [1, V, n]. */
function oneHotTokens(
  layout: PolicyLayout,
  sequences: readonly (readonly number[])[],
): tf.Tensor[] {
  const n = sequences.length;
  const data = Array.from({ length: layout.steps }, () => new Float32Array(layout.vocab * n));
  sequences.forEach((decisions, i) => {
    inputTokens(layout, decisions).forEach((token, t) => {
      const step = data[t];
      if (step !== undefined) step[token * n + i] = 1;
    });
  });
  return data.map((values) => tf.tensor3d(values, [1, layout.vocab, n]));
}

/** Per sequence: the summed log-probability of its decisions and the summed entropy of its slots. */
function headTerms(
  layout: PolicyLayout,
  hs: tf.Tensor,
  head: tf.Tensor,
  headBias: tf.Tensor,
  sequences: readonly (readonly number[])[],
): { logp: tf.Tensor1D; entropy: tf.Tensor1D } {
  const { steps, width } = layout;
  const n = sequences.length;
  const chosen = new Float32Array(steps * width * n);
  sequences.forEach((decisions, i) =>
    decisions.forEach((d, t) => (chosen[(t * width + d) * n + i] = 1)),
  );
  // Logits transposed, [T, W, n]: a plain batched matmul of head^T and the states.
  const bias = tf.add(tf.reshape(headBias, [steps, width, 1]), maskTensor(layout));
  const logits = tf.add(tf.matMul(tf.transpose(head, [0, 2, 1]), hs), bias);
  const lsm = tf.sub(logits, tf.logSumExp(logits, 1, true));
  return {
    logp: tf.sum(tf.mul(lsm, tf.tensor3d(chosen, [steps, width, n])), [0, 1]),
    entropy: tf.neg(tf.sum(tf.mul(tf.exp(lsm), lsm), [0, 1])),
  };
}

function objective(
  terms: { logp: tf.Tensor1D; entropy: tf.Tensor1D },
  examples: readonly TrainingExample[],
  options: LossOptions,
): tf.Scalar {
  const { logp, entropy } = terms;
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

/** [T, W, 1]: 0 for a slot's valid choices, {@link MASKED} for the rest. */
function maskTensor(layout: PolicyLayout): tf.Tensor {
  const { steps, width } = layout;
  const mask = new Float32Array(steps * width);
  for (let t = 0; t < steps; t++) {
    for (let a = layout.choices[t] ?? width; a < width; a++) mask[t * width + a] = MASKED;
  }
  return tf.tensor3d(mask, [steps, width, 1]);
}
