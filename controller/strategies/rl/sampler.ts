/**
 * The controller's forward pass for sampling, one sequence at a time: each step's recurrent product
 * h wh ([1, H] x [H, 4H]) on this thread's matrix-product kernel (kernels/, WebAssembly SIMD), the
 * gates, heads and softmaxes in plain JavaScript. policy-gradient.ts computes the same function for
 * training; a unit test keeps the two (and the tfjs reference) within float32 rounding of each other.
 */
import type { Rng } from '../../../shared/rng.ts';
import { fastestGemm } from './kernels/fastest-gemm.ts';
import type { GemmKernel } from './kernels/gemm-kernel.ts';
import type { PolicyLayout, PolicyParams } from './policy-layout.ts';

/** Weights rearranged for fast sampling; rebuilt whenever the parameters change. */
export interface SamplerWeights {
  /** Input projection of every token, embedding x wx + bias: [vocab, 4H]. */
  readonly tokenGates: Float64Array;
  /** wh: [H, 4H], loaded into the kernel's heap when a sequence is run. */
  readonly wh: Float32Array;
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
  const headT = new Float32Array(steps * width * h);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < h; k++) {
      for (let a = 0; a < width; a++) {
        headT[(t * width + a) * h + k] = params.head[(t * h + k) * width + a] ?? 0;
      }
    }
  }
  return { tokenGates, wh: Float32Array.from(params.wh), headT, headBias: params.headBias };
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
  const kernel = loadedKernel(w, h);
  const state = { h: new Float64Array(h), c: new Float64Array(h), gates: new Float64Array(4 * h) };
  const decisions: number[] = [];
  let token = 0;
  let logp = 0;
  for (let t = 0; t < steps; t++) {
    lstmStep(kernel, w, state, token, h);
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

/** This thread's sampling kernel, and the weights its heap holds. */
let sampling: { readonly kernel: GemmKernel; loaded: SamplerWeights | null } | null = null;

/** Heap layout: wh [H, 4H] at 0, then h [H], then the product [4H]. */
function loadedKernel(w: SamplerWeights, h: number): GemmKernel {
  sampling ??= { kernel: fastestGemm(), loaded: null };
  const { kernel } = sampling;
  if (sampling.loaded !== w) {
    kernel.reserve(w.wh.length + 5 * h);
    kernel.heap().set(w.wh, 0);
    sampling.loaded = w;
  }
  return kernel;
}

/** One LSTM step in place: gates from the token's projection and h wh, then the new c and h. */
function lstmStep(
  kernel: GemmKernel,
  w: SamplerWeights,
  s: LstmState,
  token: number,
  h: number,
): void {
  const g = 4 * h;
  const [hAt, zAt] = [g * h, g * h + h];
  const heap = kernel.heap();
  for (let k = 0; k < h; k++) heap[hAt + k] = s.h[k]!;
  kernel.gemm(1, g, h, hAt, h, 0, g, zAt, g, false);
  const base = token * g;
  for (let j = 0; j < g; j++) s.gates[j] = w.tokenGates[base + j]! + heap[zAt + j]!;
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
