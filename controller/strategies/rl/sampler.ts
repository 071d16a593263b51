/**
 * The controller's forward pass in plain JavaScript, for sampling: it needs no tensors and no tape,
 * so `ask()` is cheap and leaves tfjs alone. `policy-loss.ts` computes the same function with tfjs
 * for training; a unit test keeps the two within float32 rounding of each other.
 */
import type { Rng } from '../../../shared/rng.ts';
import type { PolicyLayout, PolicyParams } from './policy-layout.ts';

/** Weights rearranged for fast sampling; rebuilt whenever the parameters change. */
export interface SamplerWeights {
  /** Input projection of every token, embedding x wx + bias: [vocab, 4H]. */
  readonly tokenGates: Float64Array;
  /** wh transposed: [4H, H]. */
  readonly whT: Float32Array;
  /** Heads transposed: [T, W, H]. */
  readonly headT: Float32Array;
  readonly headBias: Float32Array;
}

/** A decision sequence and its log-probability under the policy. */
export interface SampledSequence {
  readonly decisions: number[];
  readonly logp: number;
}

/** The sampling weights of `params`. */
export function samplerWeights(layout: PolicyLayout, params: PolicyParams): SamplerWeights {
  const { units: h, vocab, steps, width } = layout;
  const g = 4 * h;
  const tokenGates = new Float64Array(vocab * g);
  for (let r = 0; r < vocab; r++) {
    for (let j = 0; j < g; j++) {
      let z = params.bias[j] ?? 0;
      for (let k = 0; k < h; k++)
        z += (params.embedding[r * h + k] ?? 0) * (params.wx[k * g + j] ?? 0);
      tokenGates[r * g + j] = z;
    }
  }
  const whT = new Float32Array(g * h);
  for (let k = 0; k < h; k++)
    for (let j = 0; j < g; j++) whT[j * h + k] = params.wh[k * g + j] ?? 0;
  const headT = new Float32Array(steps * width * h);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < h; k++) {
      for (let a = 0; a < width; a++) {
        headT[(t * width + a) * h + k] = params.head[(t * h + k) * width + a] ?? 0;
      }
    }
  }
  return { tokenGates, whT, headT, headBias: params.headBias };
}

/** Draws a decision sequence, each choice from its softmax with `rng.next()`. */
export function sampleSequence(
  layout: PolicyLayout,
  weights: SamplerWeights,
  rng: Rng,
): SampledSequence {
  return runPolicy(layout, weights, (_t, logp) => pick(logp, rng.next()));
}

/** The log-probability of a given decision sequence under the policy. */
export function sequenceLogProb(
  layout: PolicyLayout,
  weights: SamplerWeights,
  decisions: readonly number[],
): number {
  return runPolicy(layout, weights, (t) => decisions[t] ?? 0).logp;
}

/** The index whose cumulative probability first exceeds `u` (the last one on rounding). */
function pick(logp: Float64Array, u: number): number {
  let cumulative = 0;
  for (let a = 0; a < logp.length; a++) {
    cumulative += Math.exp(logp[a] ?? -Infinity);
    if (u < cumulative) return a;
  }
  return logp.length - 1;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Runs the policy's LSTM over all slots; `choose` picks each slot's choice from its
 * log-probabilities (sampling, scoring, or the hybrid strategy's mutations).
 */
export function runPolicy(
  layout: PolicyLayout,
  w: SamplerWeights,
  choose: (t: number, logp: Float64Array) => number,
): SampledSequence {
  const { units: h, steps } = layout;
  const state = { h: new Float64Array(h), c: new Float64Array(h), gates: new Float64Array(4 * h) };
  const decisions: number[] = [];
  let token = 0;
  let logp = 0;
  for (let t = 0; t < steps; t++) {
    lstmStep(w, state, token, h);
    const logits = headLogProbs(layout, w, state.h, t);
    const choice = choose(t, logits);
    decisions.push(choice);
    logp += logits[choice] ?? -Infinity;
    token = (layout.tokenOffset[t] ?? 0) + choice;
  }
  return { decisions, logp };
}

interface LstmState {
  readonly h: Float64Array;
  readonly c: Float64Array;
  readonly gates: Float64Array;
}

/** One LSTM step in place: gates from the token's projection and h, then the new c and h. */
function lstmStep(w: SamplerWeights, s: LstmState, token: number, h: number): void {
  const g = 4 * h;
  const base = token * g;
  // Four gate rows per pass share each load of h (4h is a multiple of 4).
  for (let j = 0; j < g; j += 4) {
    let z0 = w.tokenGates[base + j]!;
    let z1 = w.tokenGates[base + j + 1]!;
    let z2 = w.tokenGates[base + j + 2]!;
    let z3 = w.tokenGates[base + j + 3]!;
    const r0 = j * h;
    for (let k = 0; k < h; k++) {
      const hk = s.h[k]!;
      z0 += hk * w.whT[r0 + k]!;
      z1 += hk * w.whT[r0 + h + k]!;
      z2 += hk * w.whT[r0 + 2 * h + k]!;
      z3 += hk * w.whT[r0 + 3 * h + k]!;
    }
    s.gates[j] = z0;
    s.gates[j + 1] = z1;
    s.gates[j + 2] = z2;
    s.gates[j + 3] = z3;
  }
  for (let j = 0; j < h; j++) {
    const input = sigmoid(s.gates[j] ?? 0);
    const forget = sigmoid(s.gates[h + j] ?? 0);
    const output = sigmoid(s.gates[2 * h + j] ?? 0);
    const c = forget * (s.c[j] ?? 0) + input * Math.tanh(s.gates[3 * h + j] ?? 0);
    s.c[j] = c;
    s.h[j] = output * Math.tanh(c);
  }
}

/** Log-softmax over slot `t`'s valid choices only: the masked ones have probability zero. */
function headLogProbs(
  layout: PolicyLayout,
  w: SamplerWeights,
  hs: Float64Array,
  t: number,
): Float64Array {
  const { units: h, width } = layout;
  const n = layout.choices[t] ?? 1;
  const logits = new Float64Array(n);
  let max = -Infinity;
  for (let a = 0; a < n; a++) {
    const row = (t * width + a) * h;
    let z = w.headBias[t * width + a] ?? 0;
    for (let k = 0; k < h; k++) z += (hs[k] ?? 0) * (w.headT[row + k] ?? 0);
    logits[a] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let a = 0; a < n; a++) sum += Math.exp((logits[a] ?? 0) - max);
  const lse = max + Math.log(sum);
  for (let a = 0; a < n; a++) logits[a] = (logits[a] ?? 0) - lse;
  return logits;
}
