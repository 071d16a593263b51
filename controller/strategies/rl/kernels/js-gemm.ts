/**
 * The matrix-product kernel in plain JavaScript: the portable reference for wasm-gemm.ts (the same
 * float32 rounding and summation order, so bit-identical results), register-blocked 4 x 4, with
 * the plain-JavaScript LSTM cell (js-lstm-cell.ts) on the same heap.
 */
import { jsLstmCell } from './js-lstm-cell.ts';
import type { PolicyKernel } from './policy-kernel.ts';

/** A kernel over a growable plain Float32Array heap. */
export function createJsGemm(): PolicyKernel {
  let view = new Float32Array(0);
  return {
    ...jsLstmCell(() => view),
    heap: () => view,
    reserve(floats) {
      if (floats <= view.length) return;
      const grown = new Float32Array(floats);
      grown.set(view);
      view = grown;
    },
    gemm(m, n, k, a, lda, b, ldb, c, ldc, accumulate) {
      if (n % 4 !== 0) throw new RangeError(`gemm needs a column count divisible by 4, not ${n}`);
      for (let i = 0; i < m; i += 4) {
        const rows = Math.min(4, m - i);
        for (let j = 0; j < n; j += 4) {
          const at = { a: a + i * lda, b: b + j, c: c + i * ldc + j };
          if (rows === 4) tile4x4(view, k, at, lda, ldb, ldc, accumulate);
          else for (let r = 0; r < rows; r++) tile1x4(view, k, at, r, lda, ldb, ldc, accumulate);
        }
      }
    },
    add(count, src, dst) {
      if (count % 4 !== 0) throw new RangeError(`add needs a count divisible by 4, not ${count}`);
      for (let i = 0; i < count; i++) view[dst + i] = view[dst + i]! + view[src + i]!;
    },
    transpose(rows, cols, src, lds, dst, ldd) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) view[dst + c * ldd + r] = view[src + r * lds + c]!;
      }
    },
  };
}

const f32 = Math.fround;

interface TileAt {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

function tile4x4(
  x: Float32Array,
  k: number,
  at: TileAt,
  lda: number,
  ldb: number,
  ldc: number,
  accumulate: boolean,
): void {
  // Four 1 x 4 rows per pass over B: each row of B is loaded once for four rows of A.
  const [a0, a1, a2, a3] = [at.a, at.a + lda, at.a + 2 * lda, at.a + 3 * lda];
  const c = at.c;
  const old = (r: number, j: number): number => (accumulate ? x[c + r * ldc + j]! : 0);
  let [s00, s01, s02, s03] = [old(0, 0), old(0, 1), old(0, 2), old(0, 3)];
  let [s10, s11, s12, s13] = [old(1, 0), old(1, 1), old(1, 2), old(1, 3)];
  let [s20, s21, s22, s23] = [old(2, 0), old(2, 1), old(2, 2), old(2, 3)];
  let [s30, s31, s32, s33] = [old(3, 0), old(3, 1), old(3, 2), old(3, 3)];
  for (let p = 0, bp = at.b; p < k; p++, bp += ldb) {
    const b0 = x[bp]!;
    const b1 = x[bp + 1]!;
    const b2 = x[bp + 2]!;
    const b3 = x[bp + 3]!;
    let v = x[a0 + p]!;
    s00 = f32(s00 + f32(v * b0));
    s01 = f32(s01 + f32(v * b1));
    s02 = f32(s02 + f32(v * b2));
    s03 = f32(s03 + f32(v * b3));
    v = x[a1 + p]!;
    s10 = f32(s10 + f32(v * b0));
    s11 = f32(s11 + f32(v * b1));
    s12 = f32(s12 + f32(v * b2));
    s13 = f32(s13 + f32(v * b3));
    v = x[a2 + p]!;
    s20 = f32(s20 + f32(v * b0));
    s21 = f32(s21 + f32(v * b1));
    s22 = f32(s22 + f32(v * b2));
    s23 = f32(s23 + f32(v * b3));
    v = x[a3 + p]!;
    s30 = f32(s30 + f32(v * b0));
    s31 = f32(s31 + f32(v * b1));
    s32 = f32(s32 + f32(v * b2));
    s33 = f32(s33 + f32(v * b3));
  }
  x.set([s00, s01, s02, s03], c);
  x.set([s10, s11, s12, s13], c + ldc);
  x.set([s20, s21, s22, s23], c + 2 * ldc);
  x.set([s30, s31, s32, s33], c + 3 * ldc);
}

function tile1x4(
  x: Float32Array,
  k: number,
  at: TileAt,
  r: number,
  lda: number,
  ldb: number,
  ldc: number,
  accumulate: boolean,
): void {
  const c = at.c + r * ldc;
  const a = at.a + r * lda;
  let [s0, s1, s2, s3] = accumulate ? [x[c]!, x[c + 1]!, x[c + 2]!, x[c + 3]!] : [0, 0, 0, 0];
  for (let p = 0; p < k; p++) {
    const bp = at.b + p * ldb;
    const ap = x[a + p]!;
    s0 = f32(s0 + f32(ap * x[bp]!));
    s1 = f32(s1 + f32(ap * x[bp + 1]!));
    s2 = f32(s2 + f32(ap * x[bp + 2]!));
    s3 = f32(s3 + f32(ap * x[bp + 3]!));
  }
  x[c] = s0;
  x[c + 1] = s1;
  x[c + 2] = s2;
  x[c + 3] = s3;
}
