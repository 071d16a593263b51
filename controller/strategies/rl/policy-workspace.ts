/**
 * Where the policy gradient keeps its matrices on a {@link PolicyKernel}'s heap, for one layout and
 * minibatch size. Every matrix is row-major; column counts the kernel multiplies over are padded to
 * a multiple of 4 (H4 = units, W4 = head width, rounded up) and the padding stays zero, so padded
 * products add nothing. Rows of per-step matrices are sequences: step t of sequence s is row t n + s.
 */
import { alignFloats } from './kernels/gemm-kernel.ts';
import type { PolicyKernel } from './kernels/policy-kernel.ts';
import type { PolicyLayout } from './policy-layout.ts';

/** Sizes of one policy-gradient problem. */
export interface WorkspaceDims {
  /** Units H, gate width G = 4H, padded units H4. */
  readonly h: number;
  readonly g: number;
  readonly h4: number;
  /** Steps T, sequences n, vocab V, head width W and padded width W4. */
  readonly t: number;
  readonly n: number;
  readonly v: number;
  readonly w: number;
  readonly w4: number;
}

/** Heap offsets (in floats) of every matrix; shapes in brackets. */
export interface WorkspaceOffsets {
  /** Weights: wh [H, G], whT [G, H4], wx [H, G], wxT [G, H4], embedding [V, H], its transpose [H, V]. */
  readonly wh: number;
  readonly whT: number;
  readonly wx: number;
  readonly wxT: number;
  readonly emb: number;
  readonly embT: number;
  /** embedding x wx + bias, [V, G]. */
  readonly tokenGates: number;
  /** Heads [T, H, W4] and transposed heads [T, W, H4]. */
  readonly head: number;
  readonly headT: number;
  /** States [T + 1, n, H4] (block 0 is the zero initial state) and their transpose [H, (T + 1) n]. */
  readonly hs: number;
  readonly hsT: number;
  /** Activated gates i, f, o, g per step [T n, G], and their gradients before activation [T n, G]. */
  readonly gates: number;
  readonly dGates: number;
  /** Cell states [T + 1, n, H] (block 0 is the zero initial cell) and their tanh [T, n, H]. */
  readonly cells: number;
  readonly cellTanh: number;
  /** The cell-state gradient carried to the previous step, [n, H]. */
  readonly cellGrad: number;
  /** Logits and their gradients [T, n, W4]; the head's gradient with respect to the states [T, n, H4]. */
  readonly logits: number;
  readonly dLogits: number;
  readonly dhOut: number;
  /** The recurrent gradient into the previous step's states, [n, H4]. */
  readonly dhPrev: number;
  /** Gradients: wh [H, G], heads [T, H, W4], tokenGates [V, G], embedding [V, H4], wx [H, G]. */
  readonly dWh: number;
  readonly dHead: number;
  readonly dTokenGates: number;
  readonly dEmb: number;
  readonly dWx: number;
}

/** A kernel with the matrices of one problem laid out on its heap. */
export interface PolicyWorkspace {
  readonly kernel: PolicyKernel;
  readonly dims: WorkspaceDims;
  readonly at: WorkspaceOffsets;
  /** Log-probabilities of every slot's choices and the probabilities themselves, [T, n, W]. */
  readonly logProbs: Float64Array;
  readonly probs: Float64Array;
}

/** The dimensions of `layout` with a minibatch of `n` sequences. */
export function workspaceDims(layout: PolicyLayout, n: number): WorkspaceDims {
  const h = layout.units;
  const w = layout.width;
  const [t, v] = [layout.steps, layout.vocab];
  return { h, g: 4 * h, h4: alignFloats(h), t, n, v, w, w4: alignFloats(w) };
}

/** Lays out `dims` on `kernel`'s heap from offset 0 and zeroes it. */
export function createWorkspace(kernel: PolicyKernel, dims: WorkspaceDims): PolicyWorkspace {
  const { h, g, h4, t, n, v, w, w4 } = dims;
  let end = 0;
  const take = (floats: number): number => {
    const at = end;
    end += alignFloats(floats);
    return at;
  };
  // A plain literal (not spread pieces), so the offsets get a fast, stable shape.
  const at: WorkspaceOffsets = {
    wh: take(h * g),
    whT: take(g * h4),
    wx: take(h * g),
    wxT: take(g * h4),
    emb: take(v * h),
    embT: take(h * v),
    tokenGates: take(v * g),
    head: take(t * h * w4),
    headT: take(t * w * h4),
    hs: take((t + 1) * n * h4),
    hsT: take(h * (t + 1) * n),
    gates: take(t * n * g),
    dGates: take(t * n * g),
    cells: take((t + 1) * n * h),
    cellTanh: take(t * n * h),
    cellGrad: take(n * h),
    logits: take(t * n * w4),
    dLogits: take(t * n * w4),
    dhOut: take(t * n * h4),
    dhPrev: take(n * h4),
    dWh: take(h * g),
    dHead: take(t * h * w4),
    dTokenGates: take(v * g),
    dEmb: take(v * h4),
    dWx: take(h * g),
  };
  kernel.reserve(end);
  kernel.heap().fill(0, 0, end);
  const [logProbs, probs] = [new Float64Array(t * n * w), new Float64Array(t * n * w)];
  return { kernel, dims, at, logProbs, probs };
}

const DIM_KEYS = [
  'h',
  'g',
  'h4',
  't',
  'n',
  'v',
  'w',
  'w4',
] as const satisfies readonly (keyof WorkspaceDims)[];

/** Whether two problems have the same dimensions (and can share a workspace). */
export function sameDims(a: WorkspaceDims, b: WorkspaceDims): boolean {
  return DIM_KEYS.every((key) => a[key] === b[key]);
}
