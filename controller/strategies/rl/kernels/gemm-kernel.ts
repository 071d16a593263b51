/**
 * The matrix-product kernel the policy gradient runs on: C (+)= A B over one float32 heap that the
 * kernel owns (for the WebAssembly kernel, its linear memory), so operands are addressed by offset
 * and never copied per call. Two implementations compute bit-identical results: wasm-gemm.ts
 * (WebAssembly SIMD, the fast one) and js-gemm.ts (plain JavaScript, the portable reference).
 */

/** A float32 matrix-product kernel over its own heap. */
export interface GemmKernel {
  /** The heap; a view that {@link GemmKernel.reserve} may replace, so fetch it again after that. */
  heap(): Float32Array;
  /** Makes the heap at least `floats` long, keeping its contents. */
  reserve(floats: number): void;
  /**
   * C[m, n] = A[m, k] B[k, n], plus C's old values when `accumulate`; row-major, offsets and leading
   * dimensions in floats, the offsets of B and C multiples of 4, `n` a multiple of 4. Each element sums its k
   * products in increasing k order, every product and sum rounded to float32.
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    accumulate: boolean,
  ): void;
  /** dst[0, count) += src[0, count) in float32; offsets multiples of 4, `count` a multiple of 4. */
  add(count: number, src: number, dst: number): void;
  /** dst[c, r] = src[r, c] for a [rows, cols] matrix; row strides `lds` and `ldd` in floats. */
  transpose(rows: number, cols: number, src: number, lds: number, dst: number, ldd: number): void;
}

/** Rounds `floats` up to a multiple of 4, so the next region starts 16-byte aligned. */
export function alignFloats(floats: number): number {
  return Math.ceil(floats / 4) * 4;
}
