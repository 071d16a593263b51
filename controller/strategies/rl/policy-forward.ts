/**
 * The policy's forward pass for training, batched over the minibatch: every step advances all
 * sequences at once (one [n, H] x [H, 4H] product for the recurrence), teacher-forced with the
 * chosen decisions, then every slot's head and masked log-softmax. The same function as sampler.ts
 * and the tests' tfjs reference (test/fixtures/tfjs-policy/) compute; the intermediate values stay
 * in the workspace for the backward pass.
 */
import type { PolicyLayout, PolicyParams } from './policy-layout.ts';
import type { PolicyWorkspace } from './policy-workspace.ts';

/** Copies `params` into the workspace in every layout the products need; tokenGates = emb wx + bias. */
export function loadWeights(ws: PolicyWorkspace, params: PolicyParams): void {
  const { kernel, at } = ws;
  const { h, g, h4, t: steps, v, w, w4 } = ws.dims;
  const x = kernel.heap();
  x.set(params.wh, at.wh);
  x.set(params.wx, at.wx);
  x.set(params.embedding, at.emb);
  kernel.transpose(h, g, at.wh, g, at.whT, h4);
  kernel.transpose(h, g, at.wx, g, at.wxT, h4);
  kernel.transpose(v, h, at.emb, h, at.embT, v);
  const head = params.head;
  for (let r = 0; r < steps * h; r++) {
    for (let a = 0; a < w; a++) x[at.head + r * w4 + a] = head[r * w + a]!;
  }
  for (let t = 0; t < steps; t++) {
    kernel.transpose(h, w, at.head + t * h * w4, w4, at.headT + t * w * h4, h4);
  }
  kernel.gemm(v, g, h, at.emb, h, at.wx, g, at.tokenGates, g, false);
  for (let r = 0; r < v; r++) {
    const row = at.tokenGates + r * g;
    for (let j = 0; j < g; j++) x[row + j] = x[row + j]! + params.bias[j]!;
  }
}

/**
 * Runs the LSTM over all steps; `tokens` holds each step's input token per sequence ([T, n]). Each
 * step's gates start as its tokens' rows of tokenGates, the recurrent product h wh is accumulated
 * onto them (skipped at the first step, whose state is zero), and the kernel's cell activates them.
 * Leaves the activated gates, cell states, their tanh and the states (and their transpose, whose
 * zero initial columns are never written) behind.
 */
export function lstmForward(ws: PolicyWorkspace, tokens: Int32Array): void {
  const { kernel, at } = ws;
  const { h, g, h4, t: steps, n } = ws.dims;
  const x = kernel.heap();
  const rows = (steps + 1) * n;
  for (let t = 0; t < steps; t++) {
    const gates = at.gates + t * n * g;
    for (let s = 0; s < n; s++) {
      const token = at.tokenGates + tokens[t * n + s]! * g;
      x.copyWithin(gates + s * g, token, token + g);
    }
    if (t > 0) kernel.gemm(n, g, h, at.hs + t * n * h4, h4, at.wh, g, gates, g, true);
    kernel.cellForward({
      n,
      h,
      gates,
      cPrev: at.cells + t * n * h,
      c: at.cells + (t + 1) * n * h,
      cTanh: at.cellTanh + t * n * h,
      state: at.hs + (t + 1) * n * h4,
      ldState: h4,
      stateT: at.hsT + (t + 1) * n,
      ldStateT: rows,
    });
  }
}

/**
 * Every slot's logits, masked log-softmax and probabilities into `ws.logProbs` and `ws.probs`:
 * masked choices get log-probability -Infinity and probability 0.
 */
export function headForward(
  ws: PolicyWorkspace,
  layout: PolicyLayout,
  headBias: Float32Array,
): void {
  const { kernel, at } = ws;
  const { h, h4, t: steps, n, w, w4 } = ws.dims;
  for (let t = 0; t < steps; t++) {
    const states = at.hs + (t + 1) * n * h4;
    const logits = at.logits + t * n * w4;
    kernel.gemm(n, w4, h, states, h4, at.head + t * h * w4, w4, logits, w4, false);
    const bias = headBias.subarray(t * w, (t + 1) * w);
    for (let s = 0; s < n; s++) {
      softmaxRow(ws, logits + s * w4, bias, (t * n + s) * w, layout.choices[t]!);
    }
  }
}

/** The log-softmax and softmax over the first `valid` of the logits at heap offset `row` + bias. */
function softmaxRow(
  ws: PolicyWorkspace,
  row: number,
  bias: Float32Array,
  out: number,
  valid: number,
): void {
  const { logProbs, probs } = ws;
  const x = ws.kernel.heap();
  let max = -Infinity;
  for (let a = 0; a < valid; a++) {
    const z = x[row + a]! + bias[a]!;
    logProbs[out + a] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let a = 0; a < valid; a++) {
    const e = Math.exp(logProbs[out + a]! - max);
    probs[out + a] = e;
    sum += e;
  }
  const lse = max + Math.log(sum);
  for (let a = 0; a < valid; a++) {
    logProbs[out + a] = logProbs[out + a]! - lse;
    probs[out + a] = probs[out + a]! / sum;
  }
  for (let a = valid; a < ws.dims.w; a++) {
    logProbs[out + a] = -Infinity;
    probs[out + a] = 0;
  }
}
