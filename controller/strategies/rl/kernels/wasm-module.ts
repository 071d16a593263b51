/**
 * Synchronous instantiation of a checked-in WebAssembly module (a *-wasm.gen.ts constant): the
 * policy update runs in a worker thread that must not wait on a promise.
 */

/** The two constructors this module needs from the engine's WebAssembly global. */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

/** Compiles the base64-encoded module and instantiates it with `imports`; returns its exports. */
export function instantiateWasm(base64: string, imports: object): unknown {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api)) throw new Error('this JavaScript engine has no WebAssembly');
  const module = new api.Module(Buffer.from(base64, 'base64'));
  return new api.Instance(module, imports).exports;
}

/** Whether `value` has a function `name` (narrowing exports to the functions a .wat declares). */
export function hasFunction<K extends string>(
  value: unknown,
  name: K,
): value is Record<K, (...args: number[]) => void> {
  return (
    typeof value === 'object' &&
    value !== null &&
    name in value &&
    typeof Reflect.get(value, name) === 'function'
  );
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
