/**
 * The LSTM cell's elementwise work, one call per step over the whole minibatch, on the same heap as
 * the matrix products. Two implementations compute bit-identical results: lstm-cell.wat (WebAssembly
 * SIMD) and js-lstm-cell.ts (plain JavaScript, the portable reference): every value is a float32
 * and every operation one float32 operation in the same order.
 */

/** Where one step's forward cell reads and writes; offsets in floats, rows are sequences. */
export interface CellForwardArgs {
  /** Sequences n and units h. */
  readonly n: number;
  readonly h: number;
  /** Gates i, f, o, g ([n, 4h]), pre-activation on entry, activated on return. */
  readonly gates: number;
  /** The previous cell state [n, h] (zeros at the first step), the new one and its tanh. */
  readonly cPrev: number;
  readonly c: number;
  readonly cTanh: number;
  /** The new state o tanh(c): row s of [n, ldState] at `state`, column s of [h, ldStateT]. */
  readonly state: number;
  readonly ldState: number;
  readonly stateT: number;
  readonly ldStateT: number;
}

/** Where one step's backward cell reads and writes; offsets in floats, rows are sequences. */
export interface CellBackwardArgs {
  readonly n: number;
  readonly h: number;
  /** The activated gates [n, 4h], previous cell state and tanh of the cell state [n, h]. */
  readonly gates: number;
  readonly cPrev: number;
  readonly cTanh: number;
  /** The state's gradient from the head [n, ldDhOut] and from the next step [n, ldDhPrev]. */
  readonly dhOut: number;
  readonly ldDhOut: number;
  readonly dhPrev: number;
  readonly ldDhPrev: number;
  /** The cell-state gradient from the next step [n, h]; replaced by this step's dc f. */
  readonly cellGrad: number;
  /** The gates' gradients before activation, [n, 4h]. */
  readonly dGates: number;
}

/** The LSTM cell's elementwise steps over a kernel's heap. */
export interface LstmCellKernel {
  /**
   * i, f, o = sigmoid, g = tanh of the gates; c = f cPrev + i g; state = o tanh(c), with
   * sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 sigmoid(2z) - 1 on a float32 polynomial exp.
   */
  cellForward(args: CellForwardArgs): void;
  /**
   * dh = dhOut + dhPrev, dc = dh o (1 - tanh(c)^2) + cellGrad, dGates = [dc g i(1-i);
   * dc cPrev f(1-f); dh tanh(c) o(1-o); dc i (1-g^2)], cellGrad = dc f.
   */
  cellBackward(args: CellBackwardArgs): void;
}
