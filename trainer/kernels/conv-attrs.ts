/**
 * Typed readers for the attributes tfjs passes to convolution kernels (strides, padding, shapes),
 * so that kernel code narrows `NamedAttrMap` values instead of casting them.
 */
import type { NamedAttrMap, NamedTensorInfoMap, tf, TensorInfo } from '../tf.ts';

/** Padding as tfjs's conv kernels take it: a mode, one number, or explicit NHWC pairs. */
export type ConvPad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];

/** How tfjs rounds output sizes for numeric padding. */
export type RoundingMode = 'floor' | 'round' | 'ceil';

/** A 4-D shape, as in `filterShape` and `inputShape`. */
export type Shape4 = [number, number, number, number];

/** The attributes every 2-D convolution backprop kernel shares, read and checked. */
export interface ConvBackpropAttrs {
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: ConvPad;
  readonly dimRoundingMode: RoundingMode | undefined;
}

/** Reads strides, dilations (default 1), pad and rounding mode; rejects NCHW data. */
export function readConvBackpropAttrs(kernel: string, attrs: NamedAttrMap): ConvBackpropAttrs {
  const format = attrs.dataFormat;
  if (format !== undefined && format !== 'NHWC') {
    throw new Error(`${kernel}: only dataFormat NHWC is supported, got ${JSON.stringify(format)}`);
  }
  return {
    strides: readPair(kernel, attrs, 'strides', undefined),
    dilations: readPair(kernel, attrs, 'dilations', 1),
    pad: readPad(kernel, attrs.pad),
    dimRoundingMode: readRounding(kernel, attrs.dimRoundingMode),
  };
}

/** Reads a 4-D shape attribute such as `filterShape` or `inputShape`. */
export function readShape4(kernel: string, attrs: NamedAttrMap, name: string): Shape4 {
  const shape = asQuad(attrs[name], isCount);
  if (shape !== undefined) return shape;
  throw new Error(`${kernel}: attribute ${name} must be 4 non-negative integers`);
}

/** A kernel's input `name`; throws naming the kernel if it is missing. */
export function input(kernel: string, inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`${kernel}: missing input ${name}`);
  return t;
}

/** The shape of a tensor that must be 4-D. */
export function shape4(kernel: string, t: TensorInfo): Shape4 {
  const [a, b, c, d, ...rest] = t.shape;
  if (a === undefined || b === undefined || c === undefined || d === undefined || rest.length > 0) {
    throw new Error(`${kernel}: expected a 4-D tensor, got shape [${t.shape.join(', ')}]`);
  }
  return [a, b, c, d];
}

function readPair(
  kernel: string,
  attrs: NamedAttrMap,
  name: string,
  fallback: number | undefined,
): [number, number] {
  const v = attrs[name] ?? fallback;
  if (isCount(v)) return [v, v];
  const pair = asPair(v);
  if (pair !== undefined) return pair;
  throw new Error(`${kernel}: attribute ${name} must be a number or two numbers`);
}

function readPad(kernel: string, v: unknown): ConvPad {
  if (v === 'same' || v === 'valid' || isCount(v)) return v;
  const explicit = asQuad(v, isCountPair);
  if (explicit !== undefined) return explicit;
  throw new Error(`${kernel}: attribute pad must be 'same', 'valid', a number or 4 pairs`);
}

function readRounding(kernel: string, v: unknown): RoundingMode | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === 'floor' || v === 'round' || v === 'ceil') return v;
  throw new Error(`${kernel}: attribute dimRoundingMode must be floor, round or ceil`);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isCountPair(v: unknown): v is [number, number] {
  return asPair(v) !== undefined;
}

function asPair(v: unknown): [number, number] | undefined {
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const items: readonly unknown[] = v;
  const [a, b] = items;
  return isCount(a) && isCount(b) ? [a, b] : undefined;
}

function asQuad<T>(v: unknown, is: (item: unknown) => item is T): [T, T, T, T] | undefined {
  if (!Array.isArray(v) || v.length !== 4) return undefined;
  const items: readonly unknown[] = v;
  const [a, b, c, d] = items;
  return is(a) && is(b) && is(c) && is(d) ? [a, b, c, d] : undefined;
}
