/**
 * The controller's LSTM unrolled over the decision slots in tfjs, teacher-forced, with its
 * backward pass written out (backpropagation through time) instead of taped: tfjs' autodiff of a
 * matmul produces transposed matmuls, which the wasm backend runs on a slow path, and a tape over
 * 50 steps costs thousands of small kernels. Here every step is one plain matmul and a few
 * elementwise kernels each way, and the weight gradient is one large matmul over all steps.
 *
 * Layout: states are kept transposed, [1, units, n] (a row per unit, a column per sequence), so that
 * the gates i, f, o, g are contiguous row blocks of one [1, 4H, n] tensor. Each step multiplies the
 * fused weight [wh^T | tokenGates^T] ([4H, H + vocab]) by the stacked column [h; one-hot token],
 * which adds the recurrent and the input projection in one matmul.
 */
import { tf } from './tf.ts';

/** The forward pass, with what the backward pass needs (run both inside one `tf.tidy`). */
export interface LstmUnroll {
  /** Hidden states of every step, [T, H, n]. */
  readonly hs: tf.Tensor;
  readonly steps: readonly StepTensors[];
}

interface StepTensors {
  /** The step's input column [h_prev; one-hot token], [1, H + V, n]. */
  readonly x: tf.Tensor;
  /** Gates (input, forget, output, candidate), cell state and its tanh, [1, H, n] each. */
  readonly i: tf.Tensor;
  readonly f: tf.Tensor;
  readonly o: tf.Tensor;
  readonly g: tf.Tensor;
  readonly c: tf.Tensor;
  readonly tc: tf.Tensor;
}

/** Gradients of the LSTM weights: the fused weight [4H, H + V] split into wh^T and tokenGates^T. */
export interface LstmGrads {
  /** d wh, [H, 4H]. */
  readonly wh: tf.Tensor;
  /** d tokenGates, [V, 4H]. */
  readonly tokenGates: tf.Tensor;
}

/**
 * Runs the LSTM over `oneHots` (per step, the one-hot input token of each sequence, [1, V, n]).
 * `fused` is [1, 4H, H + V]: wh^T next to tokenGates^T (tokenGates = embedding x wx + bias).
 */
export function lstmForward(
  fused: tf.Tensor,
  oneHots: readonly tf.Tensor[],
  units: number,
): LstmUnroll {
  const n = dim(oneHots[0], 2);
  const h = units;
  let hPrev: tf.Tensor = tf.zeros([1, h, n]);
  let cPrev: tf.Tensor = tf.zeros([1, h, n]);
  const steps: StepTensors[] = [];
  const hs: tf.Tensor[] = [];
  const rows = (t: tf.Tensor, from: number, count: number): tf.Tensor =>
    tf.slice(t, [0, from * h, 0], [1, count * h, n]);
  for (const oneHot of oneHots) {
    const x = tf.concat([hPrev, oneHot], 1);
    const z = tf.matMul(fused, x);
    // tanh only where needed: the wasm backend's tanh costs several sigmoids per element.
    const ifo = tf.sigmoid(rows(z, 0, 3));
    const [i, f, o] = [rows(ifo, 0, 1), rows(ifo, 1, 1), rows(ifo, 2, 1)];
    const g = tf.tanh(rows(z, 3, 1));
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, g));
    const tc = tf.tanh(c);
    hPrev = tf.mul(o, tc);
    cPrev = c;
    steps.push({ x, i, f, o, g, c, tc });
    hs.push(hPrev);
  }
  return { hs: tf.concat(hs, 0), steps };
}

/**
 * Backpropagation through time: the gradients of the LSTM weights given `dhs` = dLoss/dhs, [T, H, n].
 * Per step (gates i, f, o, g; c' = f c + i g; h = o tanh c'):
 * dc = dh o (1 - tanh^2 c') + dc_next, dz = [dc g i(1-i); dc c f(1-f); dh tanh(c') o(1-o);
 * dc i (1-g^2)], dc_next = dc f, dh_prev = wh dz.
 */
export function lstmBackward(
  fused: tf.Tensor,
  unroll: LstmUnroll,
  dhs: tf.Tensor,
  units: number,
): LstmGrads {
  const h = units;
  const { steps } = unroll;
  const total = steps.length;
  const n = dim(dhs, 2);
  const stack = (pick: (s: StepTensors) => tf.Tensor): tf.Tensor => tf.concat(steps.map(pick), 0);
  const [i, f, o, g, tc] = [
    stack((s) => s.i),
    stack((s) => s.f),
    stack((s) => s.o),
    stack((s) => s.g),
    stack((s) => s.tc),
  ];
  const cPrev = tf.concat([tf.zeros([1, h, n]), ...steps.slice(0, -1).map((s) => s.c)], 0);
  const dSigmoid = (s: tf.Tensor): tf.Tensor => tf.mul(s, tf.sub(1, s));
  // Per-step coefficients of dz, for all steps at once: dz = coeff * [dc; dc; dh; dc].
  const coeff = tf.concat(
    [
      tf.mul(g, dSigmoid(i)),
      tf.mul(cPrev, dSigmoid(f)),
      tf.mul(tc, dSigmoid(o)),
      tf.mul(i, tf.sub(1, tf.square(g))),
    ],
    1,
  );
  const dcFromH = tf.mul(o, tf.sub(1, tf.square(tc)));
  // Per-step pieces through JavaScript: the wasm backend's slice copies its whole input.
  const [coeffs, dcFromHs, forgets, dhSteps] = [
    unstack(coeff),
    unstack(dcFromH),
    unstack(f),
    unstack(dhs),
  ];
  const wh = tf.transpose(tf.slice(fused, [0, 0, 0], [1, 4 * h, h]), [0, 2, 1]);
  const dzs: tf.Tensor[] = new Array<tf.Tensor>(total);
  let dhNext: tf.Tensor | null = null;
  let dcNext: tf.Tensor | null = null;
  for (let t = total - 1; t >= 0; t--) {
    const dhOut = at(dhSteps, t);
    const dh: tf.Tensor = dhNext === null ? dhOut : tf.add(dhOut, dhNext);
    const dcHere = tf.mul(dh, at(dcFromHs, t));
    const dc: tf.Tensor = dcNext === null ? dcHere : tf.add(dcHere, dcNext);
    const dz = tf.mul(at(coeffs, t), tf.concat([dc, dc, dh, dc], 1));
    dzs[t] = dz;
    dcNext = tf.mul(dc, at(forgets, t));
    dhNext = tf.matMul(wh, dz);
  }
  // d fused = sum_t dz_t x_t^T, as one matmul over every step's columns.
  const dz = tf.concat(dzs, 2);
  const xT = tf.transpose(
    tf.concat(
      steps.map((s) => s.x),
      2,
    ),
    [0, 2, 1],
  );
  const width = dim(fused, 2);
  const dFused = tf.reshape(tf.matMul(dz, xT), [4 * h, width]);
  const vocab = width - h;
  return {
    wh: tf.transpose(tf.slice(dFused, [0, 0], [4 * h, h])),
    tokenGates: tf.transpose(tf.slice(dFused, [0, h], [4 * h, vocab])),
  };
}

/** The [1, rows, n] pieces of a [T, rows, n] tensor, copied through its data. */
function unstack(t: tf.Tensor): tf.Tensor[] {
  const [total, rows, n] = [dim(t, 0), dim(t, 1), dim(t, 2)];
  const data = t.dataSync();
  const size = rows * n;
  return Array.from({ length: total }, (_, k) =>
    tf.tensor3d(data.subarray(k * size, (k + 1) * size), [1, rows, n]),
  );
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`no step ${index}`);
  return item;
}

function dim(t: tf.Tensor | undefined, axis: number): number {
  return t?.shape[axis] ?? 0;
}
