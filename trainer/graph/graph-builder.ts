/**
 * Builds a TensorFlow graph through the addon one op at a time, with unique names, typed
 * attributes and resource variables (VarHandleOp) whose initial values are fed once to an
 * `init` group of AssignVariableOps.
 */
import {
  DTYPE,
  type AttrValue,
  type GraphAddon,
  type GraphHandle,
  type GraphOutput,
  type HostTensor,
} from './graph-addon.ts';

/** An op's name base (made unique) and its control inputs. */
export interface OpOptions {
  readonly name?: string;
  readonly controls?: readonly string[];
}

/** Attributes of one op, by name. */
export type Attrs = Readonly<Record<string, AttrValue>>;

/** One resource variable: its handle, the read of its value, and the placeholder that initialises it. */
export interface GraphVariable {
  readonly name: string;
  readonly shape: readonly number[];
  readonly handle: GraphOutput;
  readonly value: GraphOutput;
  readonly initValue: GraphOutput;
  /** The AssignVariableOp that stores the fed initial value. */
  readonly assign: string;
  /** False for values the graph updates itself (batch norm's moving statistics): no gradient. */
  readonly trainable: boolean;
  /** L2 weight decay applies (conv and dense kernels). */
  readonly decay: boolean;
}

/** How a variable is trained: by gradient (or not), with weight decay (or not). */
export interface VariableRole {
  readonly trainable: boolean;
  readonly decay: boolean;
}

/** A trained variable without weight decay (the phase-1 conv net's every parameter). */
export const TRAINED: VariableRole = Object.freeze({ trainable: true, decay: false });

/** Shorthands for attribute values. */
export const attr = {
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  bool: (value: boolean): AttrValue => ({ kind: 'bool', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
  type: (value: number): AttrValue => ({ kind: 'type', value }),
  shape: (value: readonly number[]): AttrValue => ({ kind: 'shape', value }),
  ints: (value: readonly number[]): AttrValue => ({ kind: 'ints', value }),
  tensor: (value: HostTensor): AttrValue => ({ kind: 'tensor', value }),
} as const;

/** A float32 host tensor. */
export function floatTensor(shape: readonly number[], values: ArrayLike<number>): HostTensor {
  return { dtype: DTYPE.float32, shape, data: Float32Array.from(values) };
}

/** An int32 host tensor. */
export function intTensor(shape: readonly number[], values: ArrayLike<number>): HostTensor {
  return { dtype: DTYPE.int32, shape, data: Int32Array.from(values) };
}

/** One graph under construction; every op gets a unique name from its kind. */
export class GraphBuilder {
  readonly graph: GraphHandle;
  readonly variables: GraphVariable[] = [];
  private readonly counts = new Map<string, number>();

  constructor(readonly addon: GraphAddon) {
    this.graph = addon.newGraph();
  }

  /** A fresh op name `<base>_<n>` (the bare base the first time). */
  name(base: string): string {
    const n = this.counts.get(base) ?? 0;
    this.counts.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  }

  /** Adds one op; returns its unique name and its outputs. */
  add(
    type: string,
    inputs: readonly (GraphOutput | readonly GraphOutput[])[],
    attrs: Attrs = {},
    options: OpOptions = {},
  ): { readonly name: string; readonly outputs: GraphOutput[] } {
    const name = this.name(options.name ?? type);
    const count = this.addon.addOp(this.graph, {
      op: type,
      name,
      inputs,
      ...(options.controls === undefined ? {} : { controls: options.controls }),
      attrs: Object.entries(attrs).map(([key, a]) => [key, a.kind, a.value] as const),
    });
    return { name, outputs: Array.from({ length: count }, (_, index) => ({ op: name, index })) };
  }

  /** Adds one op; returns its outputs. */
  op(
    type: string,
    inputs: readonly (GraphOutput | readonly GraphOutput[])[],
    attrs: Attrs = {},
    options: OpOptions = {},
  ): GraphOutput[] {
    return this.add(type, inputs, attrs, options).outputs;
  }

  /** Adds one op and returns its first output. */
  op1(
    type: string,
    inputs: readonly (GraphOutput | readonly GraphOutput[])[],
    attrs: Attrs = {},
    options: OpOptions = {},
  ): GraphOutput {
    const [out] = this.op(type, inputs, attrs, options);
    if (out === undefined) throw new Error(`${type} has no outputs`);
    return out;
  }

  /** A Placeholder of `dtype` and `shape`. */
  placeholder(name: string, shape: readonly number[], dtype: number = DTYPE.float32): GraphOutput {
    return this.op1(
      'Placeholder',
      [],
      { dtype: attr.type(dtype), shape: attr.shape(shape) },
      { name },
    );
  }

  /** A Const holding `tensor`. */
  constant(tensor: HostTensor, name = 'Const'): GraphOutput {
    return this.op1(
      'Const',
      [],
      { dtype: attr.type(tensor.dtype), value: attr.tensor(tensor) },
      { name },
    );
  }

  /** A float32 scalar Const. */
  scalar(value: number, name = 'Const'): GraphOutput {
    return this.constant(floatTensor([], [value]), name);
  }

  /** An int32 Const vector. */
  ints(values: readonly number[], name = 'Const'): GraphOutput {
    return this.constant(intTensor([values.length], values), name);
  }

  /** A float32 resource variable; its initial value is fed to `initValue` when `init` runs. */
  variable(name: string, shape: readonly number[], role: VariableRole = TRAINED): GraphVariable {
    const handle = this.op1(
      'VarHandleOp',
      [],
      { dtype: attr.type(DTYPE.float32), shape: attr.shape(shape), shared_name: attr.string(name) },
      { name },
    );
    const value = this.op1(
      'ReadVariableOp',
      [handle],
      { dtype: attr.type(DTYPE.float32) },
      { name: `${name}/read` },
    );
    const initValue = this.placeholder(`${name}/init_value`, shape);
    const assign = this.add(
      'AssignVariableOp',
      [handle, initValue],
      { dtype: attr.type(DTYPE.float32) },
      {
        name: `${name}/assign`,
      },
    ).name;
    const v = { name: handle.op, shape, handle, value, initValue, assign, ...role };
    this.variables.push(v);
    return v;
  }

  /** A NoOp that runs every op in `ops` (a group target); returns its name. */
  group(name: string, ops: readonly string[]): string {
    return this.add('NoOp', [], {}, { name, controls: ops }).name;
  }
}
