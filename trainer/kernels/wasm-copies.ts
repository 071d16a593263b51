/**
 * Slice, SplitV, Concat and Identity for tfjs-backend-wasm that copy straight between tensors on
 * the heap, or (Identity) not at all.
 * The package's own versions (JavaScript too) copy the whole input out of the heap on every call
 * and then copy one innermost row at a time; slicing a window of an NHWC tensor, or splitting the
 * gradient of a channel concatenation, cost 10-20x a plain copy of the output. Here adjacent axes
 * that the slice covers entirely are merged first, so each copy moves the longest contiguous run.
 */
import { tf } from '../tf.ts';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '../tf.ts';
import { copyBlocks, heapSpan, wasmHeapBackend } from './wasm-heap.ts';
import type { BlockCopy } from './wasm-heap.ts';

type Params = Parameters<KernelFunc>[0];

/** Slice: `begin` and `size` per axis (size -1: to the end). */
export const wasmSlice: KernelFunc = ({ inputs, attrs = {}, backend }: Params) => {
  const b = wasmHeapBackend(backend, 'Slice');
  const x = one(inputs.x, 'Slice', 'x');
  const [begin = [], size = []] = tf.slice_util.parseSliceParams(
    x,
    numbers(attrs, 'begin', 'Slice'),
    numbers(attrs, 'size', 'Slice'),
  );
  const out = b.makeOutput(size, x.dtype);
  if (count(size) === 0) return out;
  const { start, plan } = slicePlan(x.shape, begin, size);
  copyBlocks(heapSpan(b, x), start, heapSpan(b, out), 0, plan);
  return out;
};

/** SplitV: pieces of `numOrSizeSplits` along `axis`. */
export const wasmSplitV: KernelFunc = ({ inputs, attrs = {}, backend }: Params) => {
  const b = wasmHeapBackend(backend, 'SplitV');
  const x = one(inputs.x, 'SplitV', 'x');
  const axis = tf.util.parseAxisParam(number(attrs, 'axis', 'SplitV'), x.shape)[0] ?? 0;
  const splits = attrs.numOrSizeSplits;
  const sizes = tf.backend_util.prepareSplitSize(
    x,
    typeof splits === 'number' ? splits : numbers(attrs, 'numOrSizeSplits', 'SplitV'),
    axis,
  );
  const outerCount = count(x.shape.slice(0, axis));
  const inner = count(x.shape.slice(axis + 1));
  const outs: TensorInfo[] = [];
  let offset = 0;
  for (const s of sizes) {
    const shape = x.shape.slice();
    shape[axis] = s;
    const out = b.makeOutput(shape, x.dtype);
    outs.push(out);
    const run = s * inner;
    if (run > 0 && outerCount > 0) {
      const plan = rows(outerCount, (x.shape[axis] ?? 0) * inner, run, run);
      copyBlocks(heapSpan(b, x), offset, heapSpan(b, out), 0, plan);
    }
    offset += run;
  }
  return outs;
};

/** Concat along `axis`. */
export const wasmConcat: KernelFunc = ({ inputs, attrs = {}, backend }: Params) => {
  const b = wasmHeapBackend(backend, 'Concat');
  const xs = Object.values(inputs).filter((t): t is TensorInfo => t !== undefined);
  const first = one(xs[0], 'Concat', '0');
  const axis = tf.util.parseAxisParam(number(attrs, 'axis', 'Concat'), first.shape)[0] ?? 0;
  const shapes = xs.map((t) => t.shape);
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const out = b.makeOutput(tf.backend_util.computeOutShape(shapes, axis), first.dtype);
  const outerCount = count(first.shape.slice(0, axis));
  const inners = xs.map((t) => count(t.shape.slice(axis)));
  const total = inners.reduce((a, c) => a + c, 0);
  let offset = 0;
  xs.forEach((t, i) => {
    const run = inners[i] ?? 0;
    if (run > 0 && outerCount > 0) {
      copyBlocks(heapSpan(b, t), 0, heapSpan(b, out), offset, rows(outerCount, run, total, run));
    }
    offset += run;
  });
  return out;
};

/**
 * Identity (what `tf.clone` and customGrad's saved tensors run): shares the data and counts one
 * more owner, as tfjs-backend-cpu's does, instead of copying it. Safe because no kernel writes
 * into its inputs, and `Variable.assign` swaps a variable's data instead of writing into it.
 */
export const wasmIdentity: KernelFunc = ({ inputs, backend }: Params) => {
  const x = one(inputs.x, 'Identity', 'x');
  wasmHeapBackend(backend, 'Identity').incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/**
 * The copy plan of a slice: the innermost axes the slice covers entirely merge with the first one
 * it does not (one contiguous run), and size-1 outer axes drop out.
 */
export function slicePlan(
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): { start: number; plan: BlockCopy } {
  const rank = shape.length;
  const strides = shape.map((_, a) => count(shape.slice(a + 1)));
  const start = begin.reduce((sum, v, a) => sum + v * (strides[a] ?? 0), 0);
  let j = rank - 1;
  let run = rank === 0 ? 1 : (size[j] ?? 1);
  while (j > 0 && size[j] === shape[j]) {
    j--;
    run *= size[j] ?? 1;
  }
  const outer: number[] = [];
  const srcStrides: number[] = [];
  const dstStrides: number[] = [];
  for (let a = 0; a < j; a++) {
    const extent = size[a] ?? 1;
    if (extent === 1) continue;
    outer.push(extent);
    srcStrides.push(strides[a] ?? 0);
    dstStrides.push(count(size.slice(a + 1)));
  }
  return { start, plan: { outer, srcStrides, dstStrides, run } };
}

/** `n` rows of `run` elements, `srcStride` and `dstStride` apart. */
function rows(n: number, srcStride: number, dstStride: number, run: number): BlockCopy {
  return { outer: [n], srcStrides: [srcStride], dstStrides: [dstStride], run };
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function one(t: TensorInfo | undefined, kernel: string, name: string): TensorInfo {
  if (t === undefined) throw new Error(`${kernel}: missing input ${name}`);
  if (t.dtype === 'string') throw new Error(`${kernel}: string tensors are not supported`);
  return t;
}

function number(attrs: NamedAttrMap, name: string, kernel: string): number {
  const v = attrs[name];
  if (typeof v === 'number') return v;
  const [only, ...rest] = Array.isArray(v) ? v : [];
  if (typeof only === 'number' && rest.length === 0) return only;
  throw new Error(`${kernel}: attribute ${name} must be a number`);
}

function numbers(attrs: NamedAttrMap, name: string, kernel: string): number[] | number {
  const v = attrs[name];
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.every((e): e is number => typeof e === 'number')) return v;
  throw new Error(`${kernel}: attribute ${name} must be numbers`);
}
