/**
 * Composes a kernel out of a backend's registered kernels, working on `TensorInfo`s below the
 * tfjs engine: nothing is recorded on the gradient tape and the engine's tensor counts stay exact.
 */
import { tf } from '../tf.ts';
import type { KernelBackend, KernelConfig, NamedAttrMap, NamedTensorInfoMap } from '../tf.ts';
import type { TensorInfo } from '../tf.ts';

/**
 * Runs registered kernels of one backend and owns every result they return, until {@link finish}
 * hands one result to the caller and frees the rest (tfjs kernels return owned data ids, a reshape
 * included: it increments the reference count of the data it shares).
 */
export class KernelScope {
  private readonly made: TensorInfo[] = [];

  constructor(
    private readonly backend: KernelBackend,
    private readonly backendName: string,
  ) {}

  /** Narrows a kernel function's untyped `backend` argument; throws if it is not a tfjs backend. */
  static of(backend: object, backendName: string): KernelScope {
    if (!(backend instanceof tf.KernelBackend)) {
      throw new Error(`backend "${backendName}" is not a tfjs KernelBackend`);
    }
    return new KernelScope(backend, backendName);
  }

  /** Runs one registered kernel of this backend; the scope owns its result. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel: KernelConfig | undefined = tf.getKernel(kernelName, this.backendName);
    if (kernel === undefined) {
      throw new Error(`kernel ${kernelName} is not registered for backend ${this.backendName}`);
    }
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs });
    const outs = Array.isArray(out) ? out : [out];
    this.made.push(...outs);
    const [first] = outs;
    if (outs.length !== 1 || first === undefined) {
      throw new Error(`kernel ${kernelName} returned ${outs.length} outputs, expected 1`);
    }
    return first;
  }

  /** Frees every result but `result` (one of them, never an input) and returns it to the caller. */
  finish(result: TensorInfo): TensorInfo {
    if (!this.made.includes(result)) {
      this.dispose();
      throw new Error('a composed kernel must return a result of its own scope, not an input');
    }
    this.free((t) => t !== result);
    return result;
  }

  /** Frees every result (use when the composed kernel fails). */
  dispose(): void {
    this.free(() => true);
  }

  /** Permutes axes. */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Gives `x` a new shape with the same number of elements. */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Sums over `axis`, dropping it. */
  sum(x: TensorInfo, axis: number[]): TensorInfo {
    return this.run('Sum', { x }, { axis, keepDims: false });
  }

  /** The block of `x` that starts at `begin` and has `size` elements along each axis. */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  /** Reverses the order along each axis of `dims`. */
  reverse(x: TensorInfo, dims: number[]): TensorInfo {
    return this.run('Reverse', { x }, { dims });
  }

  /**
   * The window of an NHWC tensor that starts at row `offset[0]` and column `offset[1]` (negative
   * offsets and windows past the end read zeros) and is `size[0]` x `size[1]` pixels.
   */
  window(x: TensorInfo, offset: [number, number], size: [number, number]): TensorInfo {
    const [n = 0, h = 0, w = 0, c = 0] = x.shape;
    const [top, left] = [Math.max(0, -offset[0]), Math.max(0, -offset[1])];
    const [bottom, right] = [
      Math.max(0, offset[0] + size[0] - h),
      Math.max(0, offset[1] + size[1] - w),
    ];
    let out = x;
    if (top + left + bottom + right > 0) {
      const paddings = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      out = this.run('PadV2', { x }, { paddings, constantValue: 0 });
    }
    if (out.shape[1] === size[0] && out.shape[2] === size[1]) return out;
    const begin = [0, offset[0] + top, offset[1] + left, 0];
    return this.run('Slice', { x: out }, { begin, size: [n, size[0], size[1], c] });
  }

  /** Inserts stride-1 zero rows/columns after every row/column of an NHWC tensor. */
  spread(x: TensorInfo, strides: [number, number]): TensorInfo {
    const [sh, sw] = strides;
    if (sh === 1 && sw === 1) return x;
    const [b = 0, h = 0, w = 0, c = 0] = x.shape;
    const split = this.reshape(x, [b, h, 1, w, 1, c]);
    const paddings = [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ];
    const padded = this.run('PadV2', { x: split }, { paddings, constantValue: 0 });
    return this.reshape(padded, [b, h * sh, w * sw, c]);
  }

  /** Frees an intermediate result early (it must be one of this scope's and not used again). */
  drop(t: TensorInfo): void {
    const i = this.made.indexOf(t);
    if (i < 0) throw new Error('drop: not a result of this scope');
    this.made.splice(i, 1);
    this.backend.disposeData(t.dataId);
  }

  private free(which: (t: TensorInfo) => boolean): void {
    for (const t of this.made.splice(0)) {
      if (which(t)) this.backend.disposeData(t.dataId);
    }
  }
}
