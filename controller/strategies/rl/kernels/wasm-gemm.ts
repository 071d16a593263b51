/**
 * The WebAssembly SIMD matrix-product kernel (gemm.wat, assembled into gemm-wasm.gen.ts), loaded
 * synchronously: the policy update runs in a worker thread that must not wait on a promise.
 */
import { GEMM_WASM } from './gemm-wasm.gen.ts';
import type { GemmKernel } from './gemm-kernel.ts';

const PAGE_BYTES = 65536;

/** What gemm.wat exports. */
interface GemmExports {
  readonly gemm: (...args: number[]) => void;
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
}

/** The two constructors this module needs from the engine's WebAssembly global. */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

/** A fresh instance of the kernel with its own memory. */
export function createWasmGemm(): GemmKernel {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api)) throw new Error('this JavaScript engine has no WebAssembly');
  const module = new api.Module(Buffer.from(GEMM_WASM, 'base64'));
  const { exports } = new api.Instance(module, {});
  if (!isGemmExports(exports)) throw new Error('gemm.wat does not export gemm and memory');
  const { gemm, memory } = exports;
  let view = new Float32Array(memory.buffer);
  return {
    heap: () => view,
    reserve(floats) {
      const missing = 4 * floats - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
      if (view.buffer !== memory.buffer) view = new Float32Array(memory.buffer);
    },
    gemm(m, n, k, a, lda, b, ldb, c, ldc, accumulate) {
      if (n % 4 !== 0) throw new RangeError(`gemm needs a column count divisible by 4, not ${n}`);
      gemm(m, n, k, 4 * a, lda, 4 * b, ldb, 4 * c, ldc, accumulate ? 1 : 0);
    },
  };
}

function isWasmApi(value: unknown): value is WasmApi {
  return (
    typeof value === 'object' &&
    value !== null &&
    'Module' in value &&
    typeof value.Module === 'function' &&
    'Instance' in value &&
    typeof value.Instance === 'function'
  );
}

function isGemmExports(value: unknown): value is GemmExports {
  return (
    typeof value === 'object' &&
    value !== null &&
    'gemm' in value &&
    typeof value.gemm === 'function' &&
    'memory' in value &&
    typeof value.memory === 'object' &&
    value.memory !== null &&
    'buffer' in value.memory &&
    value.memory.buffer instanceof ArrayBuffer
  );
}
