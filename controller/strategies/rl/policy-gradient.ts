/**
 * The controller's training objective and its gradient in plain TypeScript over a matrix-product
 * kernel (WebAssembly SIMD by default), without tfjs: the same contract and math as
 * `lossAndGradients` of the tests' tfjs reference (test/fixtures/tfjs-policy/tfjs-policy-loss.ts),
 * about ten times faster. The minibatch advances through the steps together, so each step is one matrix product each way and the weight gradients are large
 * products over all steps. Deterministic: one thread, fixed summation order.
 */
import { fastestGemm } from './kernels/fastest-gemm.ts';
import type { PolicyKernel } from './kernels/policy-kernel.ts';
import { headBackward, lstmBackward, weightGradients } from './policy-backward.ts';
import { headForward, loadWeights, lstmForward } from './policy-forward.ts';
import { inputTokens, type PolicyLayout, type PolicyParams } from './policy-layout.ts';
import type { LossAndGradients, LossOptions, TrainingExample } from './policy-objective-types.ts';
import { logitGradients, objective, sequenceTerms } from './policy-objective.ts';
import {
  createWorkspace,
  sameDims,
  workspaceDims,
  type PolicyWorkspace,
} from './policy-workspace.ts';

/** The signature of {@link policyGradient} (and of the tests' tfjs `lossAndGradients`). */
export type PolicyGradient = (
  layout: PolicyLayout,
  params: PolicyParams,
  examples: readonly TrainingExample[],
  options: LossOptions,
) => LossAndGradients;

/** A policy gradient on `kernel`, which it owns from now on (it keeps its workspace there). */
export function createPolicyGradient(kernel: PolicyKernel): PolicyGradient {
  let workspace: PolicyWorkspace | null = null;
  return (layout, params, examples, options) => {
    if (examples.length === 0) throw new RangeError('a policy gradient needs at least one example');
    const dims = workspaceDims(layout, examples.length);
    if (workspace === null || !sameDims(workspace.dims, dims)) {
      workspace = createWorkspace(kernel, dims);
    }
    return run(workspace, layout, params, examples, options);
  };
}

let shared: PolicyGradient | null = null;

/**
 * PPO: -mean(min(ratio A, clip(ratio, 1 - eps, 1 + eps) A)) - w mean(H), ratio = exp(logp - oldLogp).
 * REINFORCE: -mean(A logp) - w mean(H). H is a sequence's summed per-slot entropy. Runs on this
 * thread's kernel (kernels/fastest-gemm.ts), created on first use.
 */
export function policyGradient(
  layout: PolicyLayout,
  params: PolicyParams,
  examples: readonly TrainingExample[],
  options: LossOptions,
): LossAndGradients {
  shared ??= createPolicyGradient(fastestGemm());
  return shared(layout, params, examples, options);
}

function run(
  ws: PolicyWorkspace,
  layout: PolicyLayout,
  params: PolicyParams,
  examples: readonly TrainingExample[],
  options: LossOptions,
): LossAndGradients {
  const tokens = stepTokens(layout, examples);
  loadWeights(ws, params);
  lstmForward(ws, tokens);
  headForward(ws, layout, params.headBias);
  const value = objective(sequenceTerms(ws, layout, examples), examples, options);
  logitGradients(ws, layout, examples, value);
  headBackward(ws);
  lstmBackward(ws);
  weightGradients(ws, tokens);
  return { loss: value.loss, grads: readGradients(ws) };
}

/** Each step's input token per sequence, [T, n]. */
function stepTokens(layout: PolicyLayout, examples: readonly TrainingExample[]): Int32Array {
  const n = examples.length;
  const tokens = new Int32Array(layout.steps * n);
  examples.forEach((e, s) => {
    inputTokens(layout, e.decisions).forEach((token, t) => (tokens[t * n + s] = token));
  });
  return tokens;
}

/** The gradients in the parameters' own shapes, unpadded; bias and headBias summed here. */
function readGradients(ws: PolicyWorkspace): PolicyParams {
  const { at } = ws;
  const { h, g, h4, t: steps, n, v, w, w4 } = ws.dims;
  const x = ws.kernel.heap();
  const unpad = (offset: number, rows: number, cols: number, ld: number): Float32Array => {
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[r * cols + c] = x[offset + r * ld + c]!;
    }
    return out;
  };
  return {
    embedding: unpad(at.dEmb, v, h, h4),
    wx: x.slice(at.dWx, at.dWx + h * g),
    wh: x.slice(at.dWh, at.dWh + h * g),
    bias: columnSums(x, at.dTokenGates, v, g, g),
    head: unpad(at.dHead, steps * h, w, w4),
    headBias: headBiasGradient(x, at.dLogits, steps, n, w, w4),
  };
}

/** The sums over `rows` rows of a [rows, cols] matrix with row stride `ld`. */
function columnSums(
  x: Float32Array,
  offset: number,
  rows: number,
  cols: number,
  ld: number,
): Float32Array {
  const sums = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) sums[c] = sums[c]! + x[offset + r * ld + c]!;
  }
  return Float32Array.from(sums);
}

/** dHeadBias[t, a] = sum over sequences of dLogits[t, s, a]. */
function headBiasGradient(
  x: Float32Array,
  offset: number,
  steps: number,
  n: number,
  w: number,
  w4: number,
): Float32Array {
  const out = new Float32Array(steps * w);
  for (let t = 0; t < steps; t++) {
    out.set(columnSums(x, offset + t * n * w4, n, w, w4), t * w);
  }
  return out;
}
