/**
 * The RL objective on top of the heads' log-softmaxes, with its gradient with respect to every
 * logit, in float64. The same function as the tests' tfjs reference, which tfjs differentiates
 * (test/fixtures/tfjs-policy/tfjs-policy-loss.ts): PPO's clipped surrogate or REINFORCE, minus the entropy bonus; masked choices have probability zero, so their
 * logits get zero gradient.
 */
import type { LossOptions, TrainingExample } from './policy-objective-types.ts';
import type { PolicyLayout } from './policy-layout.ts';
import type { PolicyWorkspace } from './policy-workspace.ts';

/** Per sequence: the summed log-probability of its decisions and the summed entropy of its slots. */
export interface SequenceTerms {
  readonly logp: Float64Array;
  readonly entropy: Float64Array;
}

/** The loss and its gradient with respect to each sequence's log-probability and entropy. */
export interface ObjectiveValue {
  readonly loss: number;
  readonly dLogp: Float64Array;
  /** The same for every sequence: -entropyWeight / n. */
  readonly dEntropy: number;
}

/** Sums `ws.logProbs` and `ws.probs` (filled by headForward) into per-sequence terms. */
export function sequenceTerms(
  ws: PolicyWorkspace,
  layout: PolicyLayout,
  examples: readonly TrainingExample[],
): SequenceTerms {
  const { t: steps, n, w } = ws.dims;
  const logp = new Float64Array(n);
  const entropy = new Float64Array(n);
  for (let t = 0; t < steps; t++) {
    const valid = layout.choices[t]!;
    for (let s = 0; s < n; s++) {
      const row = (t * n + s) * w;
      logp[s] = logp[s]! + ws.logProbs[row + examples[s]!.decisions[t]!]!;
      let slot = 0;
      for (let a = 0; a < valid; a++) slot -= ws.probs[row + a]! * ws.logProbs[row + a]!;
      entropy[s] = entropy[s]! + slot;
    }
  }
  return { logp, entropy };
}

/**
 * PPO: -mean(min(ratio A, clip(ratio, 1 - eps, 1 + eps) A)) - w mean(H), ratio = exp(logp - oldLogp);
 * REINFORCE: -mean(A logp) - w mean(H). Where the clipped branch wins, tfjs' gradient of `minimum`
 * and `clipByValue` passes through only inside the clip range, and ties go to the unclipped branch.
 */
export function objective(
  terms: SequenceTerms,
  examples: readonly TrainingExample[],
  options: LossOptions,
): ObjectiveValue {
  const n = examples.length;
  const dLogp = new Float64Array(n);
  let surrogate = 0;
  let entropy = 0;
  examples.forEach((e, s) => {
    const logp = terms.logp[s]!;
    entropy += terms.entropy[s]!;
    if (options.algorithm === 'reinforce') {
      surrogate += e.advantage * logp;
      dLogp[s] = -e.advantage / n;
      return;
    }
    const ratio = Math.exp(logp - e.oldLogp);
    const [low, high] = [1 - options.clip, 1 + options.clip];
    const clipped = Math.min(Math.max(ratio, low), high);
    const plain = ratio * e.advantage;
    const inRange = ratio >= low && ratio <= high;
    surrogate += Math.min(plain, clipped * e.advantage);
    const slope = plain <= clipped * e.advantage || inRange ? e.advantage : 0;
    dLogp[s] = (-slope * ratio) / n;
  });
  const loss = -(surrogate / n + (options.entropyWeight * entropy) / n);
  return { loss, dLogp, dEntropy: -options.entropyWeight / n };
}

/**
 * dLoss/dlogit into `dLogits` ([T, n, W4]): d logp / dz_a = [a = d] - p_a and
 * d H / dz_a = -p_a (log p_a + H_slot), for a slot's valid choices; zero for the rest.
 */
export function logitGradients(
  ws: PolicyWorkspace,
  layout: PolicyLayout,
  examples: readonly TrainingExample[],
  value: ObjectiveValue,
): void {
  const { t: steps, n, w, w4 } = ws.dims;
  const x = ws.kernel.heap();
  const { probs, logProbs } = ws;
  for (let t = 0; t < steps; t++) {
    const valid = layout.choices[t]!;
    for (let s = 0; s < n; s++) {
      const row = (t * n + s) * w;
      let slotEntropy = 0;
      for (let a = 0; a < valid; a++) slotEntropy -= probs[row + a]! * logProbs[row + a]!;
      const out = ws.at.dLogits + (t * n + s) * w4;
      const chosen = examples[s]!.decisions[t]!;
      const dLogp = value.dLogp[s]!;
      for (let a = 0; a < valid; a++) {
        const p = probs[row + a]!;
        const fromLogp = dLogp * ((a === chosen ? 1 : 0) - p);
        x[out + a] = fromLogp - value.dEntropy * p * (logProbs[row + a]! + slotEntropy);
      }
    }
  }
}
