/**
 * The graph-step addon's JavaScript face: its types, and the loader that finds the addon that
 * `nas-trainer install-tensorflow` built beside tfjs-node's binding. The addon (trainer/native/graph-addon/)
 * drives TensorFlow's C graph API: build a graph, add gradients, run a session in one call.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { CellsearchError } from '../../shared/errors.ts';
import { nativeInstallDir, nativeLayout, type NativeEnv } from '../native/native-layout.ts';

/** TensorFlow's TF_DataType numbers for the dtypes the graphs use. */
export const DTYPE = { float32: 1, int32: 3, int64: 9, bool: 10, resource: 20 } as const;

/** One output of a graph operation: its name and output index. */
export interface GraphOutput {
  readonly op: string;
  readonly index: number;
}

/** A tensor crossing the addon boundary: TF_DataType number, shape and a typed array of its data. */
export interface HostTensor {
  readonly dtype: number;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | Uint8Array;
}

/** One attribute value, tagged with the C API setter it needs. */
export type AttrValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'type'; readonly value: number }
  | { readonly kind: 'shape'; readonly value: readonly number[] }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'types'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: HostTensor };

/** What the addon's addOp takes: attributes as `[name, kind, value]` triples. */
export interface OpSpec {
  readonly op: string;
  readonly name: string;
  /** One entry per input arg: an output, or a list of outputs for list inputs (ConcatV2, AddN). */
  readonly inputs: readonly (GraphOutput | readonly GraphOutput[])[];
  readonly controls?: readonly string[];
  readonly attrs?: readonly (readonly [string, AttrValue['kind'], AttrValue['value']])[];
  readonly device?: string;
}

/** A native graph (TF_Graph) handle. */
export interface GraphHandle {
  readonly __graph: unique symbol;
}

/** A native session (TF_Session) handle. */
export interface SessionHandle {
  readonly __session: unique symbol;
}

/** One fed value of a session run. */
export interface Feed {
  readonly output: GraphOutput;
  readonly tensor: HostTensor;
}

/** The addon's functions; every failure throws an Error whose `code` is TF_<status> or a local code. */
export interface GraphAddon {
  newGraph(): GraphHandle;
  /** Adds one operation; returns its number of outputs. */
  addOp(graph: GraphHandle, spec: OpSpec): number;
  /** How many operations the graph holds. */
  opCount(graph: GraphHandle): number;
  /** The inferred shape (-1 for unknown dims), or null for unknown rank. */
  outputShape(graph: GraphHandle, output: GraphOutput): number[] | null;
  /** d(sum of ys)/d(xs) by the C++ gradient registry; null where an x does not reach the ys. */
  addGradients(
    graph: GraphHandle,
    prefix: string,
    ys: readonly GraphOutput[],
    xs: readonly GraphOutput[],
  ): (GraphOutput | null)[];
  /** A session on `graph`; `config` is a serialized tensorflow.ConfigProto. */
  newSession(graph: GraphHandle, config: Uint8Array): SessionHandle;
  closeSession(session: SessionHandle): void;
  /** Feeds, runs `targets` and returns the `fetches`, all in one TF_SessionRun. */
  run(
    session: SessionHandle,
    feeds: readonly Feed[],
    fetches: readonly GraphOutput[],
    targets: readonly string[],
  ): HostTensor[];
}

/** The addon has not been built here (or cannot load). */
export class GraphAddonUnavailableError extends CellsearchError {
  constructor(reason: string) {
    super('GRAPH_ADDON_UNAVAILABLE', `the graph-step addon cannot be used: ${reason}`);
  }
}

/** The addon install-tensorflow built beside tfjs-node's binding (native-layout.ts). */
export function graphAddonFile(env: NativeEnv): string {
  return nativeLayout(nativeInstallDir('@tensorflow/tfjs-node', env)).graphAddon;
}

/** Loads the built addon; throws {@link GraphAddonUnavailableError} when it is missing or fails to load. */
export function loadGraphAddon(env: NativeEnv = process.env): GraphAddon {
  const file = graphAddonFile(env);
  if (!existsSync(file)) {
    throw new GraphAddonUnavailableError(
      `${file} is missing; run npx nas-trainer install-tensorflow (it builds the addon with the binding)`,
    );
  }
  try {
    const required: unknown = createRequire(import.meta.url)(file);
    if (isGraphAddon(required)) return required;
  } catch (err) {
    throw new GraphAddonUnavailableError(`${file} did not load: ${String(err)}`);
  }
  throw new GraphAddonUnavailableError(`${file} lacks one of ${ADDON_FUNCTIONS.join(', ')}`);
}

const ADDON_FUNCTIONS = [
  'newGraph',
  'addOp',
  'opCount',
  'outputShape',
  'addGradients',
  'newSession',
  'closeSession',
  'run',
] as const;

function isGraphAddon(value: unknown): value is GraphAddon {
  if (typeof value !== 'object' || value === null) return false;
  return ADDON_FUNCTIONS.every((name) => typeof Reflect.get(value, name) === 'function');
}
