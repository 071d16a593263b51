/**
 * The policy's backward pass for training, batched over the minibatch: the heads' gradients, then
 * backpropagation through time (one [n, 4H] x [4H, H] product per step for the recurrent gradient),
 * then the weight gradients as a few large products over every step at once. Mirrors the math of
 * the tfjs reference (test/fixtures/tfjs-policy/lstm-unroll.ts)'s `lstmBackward`.
 */
import type { PolicyWorkspace } from './policy-workspace.ts';

/** dhOut_t = dLogits_t head_t^T and dHead_t = h_t^T dLogits_t, for every step. */
export function headBackward(ws: PolicyWorkspace): void {
  const { kernel, at } = ws;
  const { h, h4, t: steps, n, w, w4 } = ws.dims;
  const rows = (steps + 1) * n;
  for (let t = 0; t < steps; t++) {
    const dLogits = at.dLogits + t * n * w4;
    kernel.gemm(n, h4, w, dLogits, w4, at.headT + t * w * h4, h4, at.dhOut + t * n * h4, h4, false);
    const states = at.hsT + (t + 1) * n;
    kernel.gemm(h, w4, n, states, rows, dLogits, w4, at.dHead + t * h * w4, w4, false);
  }
}

/**
 * Backpropagation through time into `dGates` (gates i, f, o, g; c' = f c + i g; h = o tanh c'):
 * dc = dh o (1 - tanh^2 c') + dc_next, dz = [dc g i(1-i); dc c f(1-f); dh tanh(c') o(1-o);
 * dc i (1-g^2)], dc_next = dc f, dh_prev = dz wh^T.
 */
export function lstmBackward(ws: PolicyWorkspace): void {
  const { kernel, at } = ws;
  const { g, h4, t: steps, n } = ws.dims;
  ws.cellGrad.fill(0);
  for (let t = steps - 1; t >= 0; t--) {
    for (let s = 0; s < n; s++) gateGradients(ws, t, s, t < steps - 1);
    if (t === 0) break;
    const dGates = at.dGates + t * n * g;
    kernel.gemm(n, h4, g, dGates, g, at.whT, h4, at.dhPrev, h4, false);
  }
}

/** The gate gradients of sequence `s` at step `t`; `recurrent`: add the next step's dh_prev. */
function gateGradients(ws: PolicyWorkspace, t: number, s: number, recurrent: boolean): void {
  const { at, cells, cellTanh, cellGrad } = ws;
  const { h, g, h4, n } = ws.dims;
  const x = ws.kernel.heap();
  const z = at.gates + (t * n + s) * g;
  const dz = at.dGates + (t * n + s) * g;
  const dhOut = at.dhOut + (t * n + s) * h4;
  const dhPrev = at.dhPrev + s * h4;
  const cell = (t * n + s) * h;
  const prev = cell - n * h;
  for (let j = 0; j < h; j++) {
    const dh = x[dhOut + j]! + (recurrent ? x[dhPrev + j]! : 0);
    const i = x[z + j]!;
    const f = x[z + h + j]!;
    const o = x[z + 2 * h + j]!;
    const cand = x[z + 3 * h + j]!;
    const tc = cellTanh[cell + j]!;
    const dc = dh * o * (1 - tc * tc) + cellGrad[s * h + j]!;
    const cPrev = t === 0 ? 0 : cells[prev + j]!;
    x[dz + j] = dc * cand * i * (1 - i);
    x[dz + h + j] = dc * cPrev * f * (1 - f);
    x[dz + 2 * h + j] = dh * tc * o * (1 - o);
    x[dz + 3 * h + j] = dc * i * (1 - cand * cand);
    cellGrad[s * h + j] = dc * f;
  }
}

/**
 * dWh = sum_t h_{t-1}^T dz_t (one product over every step), dTokenGates = each step's dz summed into
 * its input token's row, then through tokenGates = embedding wx + bias: dEmb = dTokenGates wx^T,
 * dWx = embedding^T dTokenGates.
 */
export function weightGradients(ws: PolicyWorkspace, tokens: Int32Array): void {
  const { kernel, at } = ws;
  const { h, g, h4, t: steps, n, v } = ws.dims;
  const x = kernel.heap();
  const rows = steps * n;
  kernel.gemm(h, g, rows, at.hsT, rows + n, at.dGates, g, at.dWh, g, false);
  x.fill(0, at.dTokenGates, at.dTokenGates + v * g);
  for (let r = 0; r < rows; r++) {
    const into = at.dTokenGates + tokens[r]! * g;
    const from = at.dGates + r * g;
    for (let j = 0; j < g; j++) x[into + j] = x[into + j]! + x[from + j]!;
  }
  kernel.gemm(v, h4, g, at.dTokenGates, g, at.wxT, h4, at.dEmb, h4, false);
  kernel.gemm(h, g, v, at.embT, v, at.dTokenGates, g, at.dWx, g, false);
}
