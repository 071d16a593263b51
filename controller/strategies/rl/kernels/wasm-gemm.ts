/**
 * The WebAssembly SIMD kernel: the matrix product of gemm.wat (assembled into gemm-wasm.gen.ts) and
 * the LSTM cell of lstm-cell.wat on the same memory, loaded synchronously: the policy update runs in
 * a worker thread that must not wait on a promise.
 */
import { GEMM_WASM } from './gemm-wasm.gen.ts';
import type { PolicyKernel } from './policy-kernel.ts';
import { hasFunction, instantiateWasm } from './wasm-module.ts';
import { createWasmLstmCell } from './wasm-lstm-cell.ts';

const PAGE_BYTES = 65536;

/** The memory gemm.wat exports. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A fresh instance of the kernel with its own memory. */
export function createWasmGemm(): PolicyKernel {
  const exports = instantiateWasm(GEMM_WASM, {});
  const memory: unknown =
    typeof exports === 'object' && exports !== null ? Reflect.get(exports, 'memory') : null;
  const complete =
    hasFunction(exports, 'gemm') &&
    hasFunction(exports, 'add') &&
    hasFunction(exports, 'transpose') &&
    isMemory(memory);
  if (!complete) throw new Error('gemm.wat does not export gemm, add, transpose and memory');
  const { gemm, add, transpose } = exports;
  let view = new Float32Array(memory.buffer);
  const heap = (): Float32Array => {
    if (view.buffer !== memory.buffer) view = new Float32Array(memory.buffer);
    return view;
  };
  return {
    heap,
    reserve(floats) {
      const missing = 4 * floats - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
      heap();
    },
    gemm(m, n, k, a, lda, b, ldb, c, ldc, accumulate) {
      if (n % 4 !== 0) throw new RangeError(`gemm needs a column count divisible by 4, not ${n}`);
      gemm(m, n, k, 4 * a, lda, 4 * b, ldb, 4 * c, ldc, accumulate ? 1 : 0);
    },
    add(count, src, dst) {
      if (count % 4 !== 0) throw new RangeError(`add needs a count divisible by 4, not ${count}`);
      add(count, 4 * src, 4 * dst);
    },
    transpose(rows, cols, src, lds, dst, ldd) {
      transpose(rows, cols, 4 * src, lds, 4 * dst, ldd);
    },
    ...createWasmLstmCell(memory, heap),
  };
}

function isMemory(value: unknown): value is WasmMemory {
  return (
    typeof value === 'object' &&
    value !== null &&
    'buffer' in value &&
    value.buffer instanceof ArrayBuffer &&
    'grow' in value &&
    typeof value.grow === 'function'
  );
}
