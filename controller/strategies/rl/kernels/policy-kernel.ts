/**
 * Everything the policy gradient runs on one heap: the matrix products (gemm-kernel.ts) and the
 * LSTM cell's elementwise steps (lstm-cell-kernel.ts). wasm-gemm.ts and js-gemm.ts each provide
 * all of it, with bit-identical results.
 */
import type { GemmKernel } from './gemm-kernel.ts';
import type { LstmCellKernel } from './lstm-cell-kernel.ts';

/** A matrix-product kernel that also runs the LSTM cell over its heap. */
export type PolicyKernel = GemmKernel & LstmCellKernel;
