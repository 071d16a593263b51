/**
 * The WebAssembly SIMD LSTM cell (lstm-cell.wat, assembled into lstm-cell-wasm.gen.ts) on the
 * matrix-product kernel's memory. Its vectors cover four units at a time, so for a unit count that
 * is not a multiple of 4 it runs the plain-JavaScript cell, whose results are the same bit for bit.
 */
import { jsLstmCell } from './js-lstm-cell.ts';
import type { LstmCellKernel } from './lstm-cell-kernel.ts';
import { LSTM_CELL_WASM } from './lstm-cell-wasm.gen.ts';
import { hasFunction, instantiateWasm } from './wasm-module.ts';

/** The cell on `memory` (the gemm module's exported memory), whose float view is `heap()`. */
export function createWasmLstmCell(memory: object, heap: () => Float32Array): LstmCellKernel {
  const exports = instantiateWasm(LSTM_CELL_WASM, { kernel: { memory } });
  if (!hasFunction(exports, 'cell_forward') || !hasFunction(exports, 'cell_backward')) {
    throw new Error('lstm-cell.wat does not export cell_forward and cell_backward');
  }
  const { cell_forward: forward, cell_backward: backward } = exports;
  const portable = jsLstmCell(heap);
  return {
    cellForward(a) {
      if (a.h % 4 !== 0) return portable.cellForward(a);
      forward(
        a.n,
        a.h,
        4 * a.gates,
        4 * a.cPrev,
        4 * a.c,
        4 * a.cTanh,
        4 * a.state,
        a.ldState,
        4 * a.stateT,
        a.ldStateT,
      );
    },
    cellBackward(a) {
      if (a.h % 4 !== 0) return portable.cellBackward(a);
      backward(
        a.n,
        a.h,
        4 * a.gates,
        4 * a.cPrev,
        4 * a.cTanh,
        4 * a.dhOut,
        a.ldDhOut,
        4 * a.dhPrev,
        a.ldDhPrev,
        4 * a.cellGrad,
        4 * a.dGates,
      );
    },
  };
}
