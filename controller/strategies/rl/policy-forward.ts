/**
 * The policy's forward pass for training, batched over the minibatch: every step advances all
 * sequences at once (one [n, H] x [H, 4H] product for the recurrence), teacher-forced with the
 * chosen decisions, then every slot's head and masked log-softmax. The same function as sampler.ts
 * and the tfjs reference (test/fixtures/tfjs-policy/tfjs-policy-loss.ts) compute; the intermediate values stay in the workspace for the backward pass.
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
  transposeInto(x, params.wh, h, g, at.whT, h4);
  transposeInto(x, params.wx, h, g, at.wxT, h4);
  transposeInto(x, params.embedding, v, h, at.embT, v);
  for (let t = 0; t < steps; t++) {
    const block = params.head.subarray(t * h * w, (t + 1) * h * w);
    for (let k = 0; k < h; k++)
      x.set(block.subarray(k * w, (k + 1) * w), at.head + (t * h + k) * w4);
    transposeInto(x, block, h, w, at.headT + t * w * h4, h4);
  }
  kernel.gemm(v, g, h, at.emb, h, at.wx, g, at.tokenGates, g, false);
  for (let r = 0; r < v; r++) {
    const row = at.tokenGates + r * g;
    for (let j = 0; j < g; j++) x[row + j] = x[row + j]! + params.bias[j]!;
  }
}

/** Writes the transpose of `source` ([rows, cols]) into `x` at `offset` with row stride `ld`. */
export function transposeInto(
  x: Float32Array,
  source: Float32Array,
  rows: number,
  cols: number,
  offset: number,
  ld: number,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) x[offset + c * ld + r] = source[r * cols + c]!;
  }
}

/**
 * Runs the LSTM over all steps; `tokens` holds each step's input token per sequence ([T, n]).
 * Leaves the activated gates, cell states, their tanh and the states (and their transpose, whose
 * zero initial columns are never written) behind.
 */
export function lstmForward(ws: PolicyWorkspace, tokens: Int32Array): void {
  const { kernel, at } = ws;
  const { g, h4, t: steps, n } = ws.dims;
  for (let t = 0; t < steps; t++) {
    const hPrev = at.hs + t * n * h4;
    const gates = at.gates + t * n * g;
    kernel.gemm(n, g, ws.dims.h, hPrev, h4, at.wh, g, gates, g, false);
    for (let s = 0; s < n; s++) cellStep(ws, t, s, tokens[t * n + s]!);
  }
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
/** tanh through one `Math.exp` (V8's `Math.tanh` costs several); absolute error ~1e-16. */
const tanh = (z: number): number => 2 / (1 + Math.exp(-2 * z)) - 1;

/** Gates, cell and state of sequence `s` at step `t`, given the recurrent part of its gates. */
function cellStep(ws: PolicyWorkspace, t: number, s: number, token: number): void {
  const { at, cells, cellTanh } = ws;
  const { h, g, h4, n } = ws.dims;
  const x = ws.kernel.heap();
  const z = at.gates + (t * n + s) * g;
  const input = at.tokenGates + token * g;
  const cell = (t * n + s) * h;
  const prev = cell - n * h;
  const out = at.hs + ((t + 1) * n + s) * h4;
  const rows = (ws.dims.t + 1) * n;
  const outT = at.hsT + (t + 1) * n + s;
  for (let j = 0; j < h; j++) {
    const i = sigmoid(x[z + j]! + x[input + j]!);
    const f = sigmoid(x[z + h + j]! + x[input + h + j]!);
    const o = sigmoid(x[z + 2 * h + j]! + x[input + 2 * h + j]!);
    const cand = tanh(x[z + 3 * h + j]! + x[input + 3 * h + j]!);
    x[z + j] = i;
    x[z + h + j] = f;
    x[z + 2 * h + j] = o;
    x[z + 3 * h + j] = cand;
    const c = (t === 0 ? 0 : f * cells[prev + j]!) + i * cand;
    const tc = tanh(c);
    cells[cell + j] = c;
    cellTanh[cell + j] = tc;
    const state = o * tc;
    x[out + j] = state;
    x[outT + j * rows] = state;
  }
}

/** Every slot's logits and masked log-softmax into `ws.logProbs`; masked choices get -Infinity. */
export function headForward(
  ws: PolicyWorkspace,
  layout: PolicyLayout,
  headBias: Float32Array,
): void {
  const { kernel, at, logProbs } = ws;
  const { h, h4, t: steps, n, w, w4 } = ws.dims;
  const x = kernel.heap();
  for (let t = 0; t < steps; t++) {
    const states = at.hs + (t + 1) * n * h4;
    const logits = at.logits + t * n * w4;
    kernel.gemm(n, w4, h, states, h4, at.head + t * h * w4, w4, logits, w4, false);
    const valid = layout.choices[t]!;
    for (let s = 0; s < n; s++) {
      const row = logits + s * w4;
      const lp = (t * n + s) * w;
      let max = -Infinity;
      for (let a = 0; a < valid; a++) {
        const z = x[row + a]! + headBias[t * w + a]!;
        logProbs[lp + a] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let a = 0; a < valid; a++) sum += Math.exp(logProbs[lp + a]! - max);
      const lse = max + Math.log(sum);
      for (let a = 0; a < valid; a++) logProbs[lp + a] = logProbs[lp + a]! - lse;
      for (let a = valid; a < w; a++) logProbs[lp + a] = -Infinity;
    }
  }
}
