/**
 * The policy's backward pass for training, batched over the minibatch: the heads' gradients, then
 * backpropagation through time (one [n, 4H] x [4H, H] product per step for the recurrent gradient),
 * then the weight gradients as a few large products over every step at once. Mirrors the math of
 * `lstmBackward` in the tests' tfjs reference (test/fixtures/tfjs-policy/lstm-unroll.ts).
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
 * the kernel's cell gives dz = [dc g i(1-i); dc c f(1-f); dh tanh(c') o(1-o); dc i (1-g^2)] with
 * dc = dh o (1 - tanh^2 c') + dc_next and carries dc_next = dc f; then dh_prev = dz wh^T.
 */
export function lstmBackward(ws: PolicyWorkspace): void {
  const { kernel, at } = ws;
  const { h, g, h4, t: steps, n } = ws.dims;
  const x = kernel.heap();
  x.fill(0, at.dhPrev, at.dhPrev + n * h4);
  x.fill(0, at.cellGrad, at.cellGrad + n * h);
  for (let t = steps - 1; t >= 0; t--) {
    const dGates = at.dGates + t * n * g;
    kernel.cellBackward({
      n,
      h,
      gates: at.gates + t * n * g,
      cPrev: at.cells + t * n * h,
      cTanh: at.cellTanh + t * n * h,
      dhOut: at.dhOut + t * n * h4,
      ldDhOut: h4,
      dhPrev: at.dhPrev,
      ldDhPrev: h4,
      cellGrad: at.cellGrad,
      dGates,
    });
    if (t === 0) break;
    kernel.gemm(n, h4, g, dGates, g, at.whT, h4, at.dhPrev, h4, false);
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
  // Step 0's previous state is zero: its products add nothing, so the sum starts at step 1.
  kernel.gemm(h, g, rows - n, at.hsT + n, rows + n, at.dGates + n * g, g, at.dWh, g, false);
  x.fill(0, at.dTokenGates, at.dTokenGates + v * g);
  for (let r = 0; r < rows; r++) kernel.add(g, at.dGates + r * g, at.dTokenGates + tokens[r]! * g);
  kernel.gemm(v, h4, g, at.dTokenGates, g, at.wxT, h4, at.dEmb, h4, false);
  kernel.gemm(h, g, v, at.embT, v, at.dTokenGates, g, at.dWx, g, false);
}
