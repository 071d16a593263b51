/**
 * The LSTM cell's elementwise work in plain JavaScript: the portable reference for lstm-cell.wat.
 * Every operation is rounded to float32 (`Math.fround`) in the same order as the WebAssembly, and
 * float32 +, -, *, / computed in float64 and rounded once are correctly rounded, so the results are
 * bit-identical.
 */
import type { CellBackwardArgs, CellForwardArgs, LstmCellKernel } from './lstm-cell-kernel.ts';

const f32 = Math.fround;

/** Cephes' expf constants as float32 (lstm-cell.wat spells the same values in hex). */
const LOG2E = f32(1.44269502);
const LN2_HI = f32(0.693359375);
const LN2_LO = f32(-0.000212194442);
const P0 = f32(0.000198756912);
const P1 = f32(0.00139819994);
const P2 = f32(0.00833345205);
const P3 = f32(0.0416657962);
const P4 = f32(0.166666657);
const P5 = 0.5;
const [LOW, HIGH] = [-87.25, 88];

/** 2^k for k in [-126, 127], at k + 126; built by halving and doubling, so exact. */
const POW2 = Float64Array.from({ length: 254 }, (_, i) => {
  let p = 1;
  for (let k = i - 126; k > 0; k--) p *= 2;
  for (let k = i - 126; k < 0; k++) p /= 2;
  return p;
});

/** exp(x) as lstm-cell.wat's `$exp` computes it, for a float32 x. */
export function expF32(x: number): number {
  const v = Math.max(Math.min(x, HIGH), LOW);
  // An int32 (| 0 is exact on [-126, 127]), so the table load below takes an integer index.
  const fx = Math.floor(f32(f32(v * LOG2E) + 0.5)) | 0;
  const r = f32(f32(v - f32(fx * LN2_HI)) - f32(fx * LN2_LO));
  let y = f32(f32(r * P0) + P1);
  y = f32(f32(y * r) + P2);
  y = f32(f32(y * r) + P3);
  y = f32(f32(y * r) + P4);
  y = f32(f32(y * r) + P5);
  y = f32(f32(f32(y * f32(r * r)) + r) + 1);
  return f32(y * POW2[fx + 126]!);
}

/** 1 / (1 + exp(-z)) in float32. */
export function sigmoidF32(z: number): number {
  return f32(1 / f32(1 + expF32(-z)));
}

/** 2 sigmoid(2z) - 1 in float32. */
export function tanhF32(z: number): number {
  return f32(2 * sigmoidF32(f32(z + z)) - 1);
}

/** {@link LstmCellKernel} over `heap()`, which the caller may replace as the heap grows. */
export function jsLstmCell(heap: () => Float32Array): LstmCellKernel {
  return {
    cellForward: (args) => cellForward(heap(), args),
    cellBackward: (args) => cellBackward(heap(), args),
  };
}

function cellForward(x: Float32Array, a: CellForwardArgs): void {
  const { n, h } = a;
  for (let s = 0; s < n; s++) {
    const z = a.gates + 4 * s * h;
    const cell = s * h;
    const out = a.state + s * a.ldState;
    for (let j = 0; j < h; j++) {
      const i = sigmoidF32(x[z + j]!);
      const f = sigmoidF32(x[z + h + j]!);
      const o = sigmoidF32(x[z + 2 * h + j]!);
      const g = tanhF32(x[z + 3 * h + j]!);
      x[z + j] = i;
      x[z + h + j] = f;
      x[z + 2 * h + j] = o;
      x[z + 3 * h + j] = g;
      const c = f32(f32(f * x[a.cPrev + cell + j]!) + f32(i * g));
      const tc = tanhF32(c);
      x[a.c + cell + j] = c;
      x[a.cTanh + cell + j] = tc;
      const state = f32(o * tc);
      x[out + j] = state;
      x[a.stateT + j * a.ldStateT + s] = state;
    }
  }
}

function cellBackward(x: Float32Array, a: CellBackwardArgs): void {
  const { n, h } = a;
  for (let s = 0; s < n; s++) {
    const z = a.gates + 4 * s * h;
    const dz = a.dGates + 4 * s * h;
    const cell = s * h;
    const [dhOut, dhPrev] = [a.dhOut + s * a.ldDhOut, a.dhPrev + s * a.ldDhPrev];
    for (let j = 0; j < h; j++) {
      const dh = f32(x[dhOut + j]! + x[dhPrev + j]!);
      const i = x[z + j]!;
      const f = x[z + h + j]!;
      const o = x[z + 2 * h + j]!;
      const g = x[z + 3 * h + j]!;
      const tc = x[a.cTanh + cell + j]!;
      const dc = f32(f32(f32(dh * o) * f32(1 - f32(tc * tc))) + x[a.cellGrad + cell + j]!);
      x[dz + j] = f32(f32(dc * g) * i) * f32(1 - i);
      x[dz + h + j] = f32(f32(dc * x[a.cPrev + cell + j]!) * f) * f32(1 - f);
      x[dz + 2 * h + j] = f32(f32(dh * tc) * o) * f32(1 - o);
      x[dz + 3 * h + j] = f32(dc * i) * f32(1 - f32(g * g));
      x[a.cellGrad + cell + j] = f32(dc * f);
    }
  }
}
