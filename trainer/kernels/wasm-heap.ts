/**
 * Direct access to tfjs-backend-wasm's heap for kernels written in JavaScript: a tensor's elements
 * as a view (no copy) and block copies between tensors with `copyWithin` (a memmove, no garbage).
 * tfjs-backend-wasm 4.22's own JavaScript kernels (Slice, SplitV, Concat) read their input through
 * `readSync`, which copies the whole input into a fresh ArrayBuffer on every call.
 */
import type { DataType, TensorInfo } from '../tf.ts';

/** The part of tfjs-backend-wasm's `BackendWasm` that the kernels here use. */
export interface WasmHeapBackend {
  /** Allocates an output tensor on the heap. */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view of a tensor's elements on the heap. */
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** Counts one more owner of a tensor's data. */
  incRef(dataId: object): void;
}

/** Whether `backend` is tfjs-backend-wasm (has the heap methods used here). */
export function isWasmHeapBackend(backend: object): backend is WasmHeapBackend {
  return (
    'makeOutput' in backend &&
    typeof backend.makeOutput === 'function' &&
    'typedArrayFromHeap' in backend &&
    typeof backend.typedArrayFromHeap === 'function' &&
    'incRef' in backend &&
    typeof backend.incRef === 'function'
  );
}

/** Narrows a kernel's untyped `backend`; throws if it is not tfjs-backend-wasm. */
export function wasmHeapBackend(backend: object, kernel: string): WasmHeapBackend {
  if (!isWasmHeapBackend(backend)) throw new Error(`${kernel}: not the tfjs wasm backend`);
  return backend;
}

/** A tensor's place on the heap, in elements of its own size, over a view of the whole heap. */
export interface HeapSpan {
  /** The whole heap, typed by the tensor's element size (bit-exact copies, whatever the dtype). */
  readonly heap: Int32Array | Uint8Array;
  /** Index of the tensor's first element in `heap`. */
  readonly start: number;
}

/** Where `t` lives on the heap (see {@link HeapSpan}). */
export function heapSpan(backend: WasmHeapBackend, t: TensorInfo): HeapSpan {
  const view = backend.typedArrayFromHeap(t);
  if (view.BYTES_PER_ELEMENT === 4) {
    return { heap: new Int32Array(view.buffer), start: view.byteOffset / 4 };
  }
  return { heap: new Uint8Array(view.buffer), start: view.byteOffset };
}

/**
 * A strided block copy: `outer` gives the extents of the outer loops and `srcStrides` /
 * `dstStrides` their strides (elements); each innermost step copies `run` contiguous elements.
 */
export interface BlockCopy {
  readonly outer: readonly number[];
  readonly srcStrides: readonly number[];
  readonly dstStrides: readonly number[];
  readonly run: number;
}

/** Copies `plan` from `src` (starting `srcStart` elements in) to `dst` (`dstStart` in). */
export function copyBlocks(
  src: HeapSpan,
  srcStart: number,
  dst: HeapSpan,
  dstStart: number,
  plan: BlockCopy,
): void {
  if (src.heap.BYTES_PER_ELEMENT !== dst.heap.BYTES_PER_ELEMENT) {
    throw new Error('copyBlocks: source and destination element sizes differ');
  }
  const heap = dst.heap;
  const { outer, srcStrides, dstStrides, run } = plan;
  const rank = outer.length;
  const total = outer.reduce((a, b) => a * b, 1);
  const index = new Array<number>(rank).fill(0);
  let s = src.start + srcStart;
  let d = dst.start + dstStart;
  for (let n = 0; n < total; n++) {
    heap.copyWithin(d, s, s + run);
    for (let a = rank - 1; a >= 0; a--) {
      const i = (index[a] ?? 0) + 1;
      const ss = srcStrides[a] ?? 0;
      const ds = dstStrides[a] ?? 0;
      if (i < (outer[a] ?? 0)) {
        index[a] = i;
        s += ss;
        d += ds;
        break;
      }
      index[a] = 0;
      s -= ss * (i - 1);
      d -= ds * (i - 1);
    }
  }
}
