/**
 * The operation table: every op a block may apply to a hidden state, with its parameters as data.
 * Builders (complexity, the tfjs network) switch exhaustively on `kind`.
 */

/** Parameters of an op, discriminated on `kind`. Kernels are square unless the kind says otherwise. */
export type OpSpec =
  | { readonly kind: 'identity' }
  /** k x k convolution: ReLU -> conv -> BN. */
  | { readonly kind: 'conv'; readonly kernel: 1 | 3 }
  /** 1 x k then k x 1 convolution (the stride on the first for width, the second for height): ReLU -> conv 1xk -> conv kx1 -> BN. */
  | { readonly kind: 'factorized_conv'; readonly kernel: 3 | 7 }
  /** k x k convolution with the given dilation rate: ReLU -> dilated conv -> BN. */
  | { readonly kind: 'dilated_conv'; readonly kernel: 3; readonly dilation: 2 }
  /** Depthwise-separable convolution, applied twice as in the released NASNet code. */
  | { readonly kind: 'sep_conv'; readonly kernel: 3 | 5 | 7 }
  /** Average pooling (padding excluded from the divisor). */
  | { readonly kind: 'avg_pool'; readonly kernel: 3 | 5 }
  /** Max pooling. */
  | { readonly kind: 'max_pool'; readonly kernel: 3 | 5 | 7 };

/** The discriminant of {@link OpSpec}. */
export type OpKind = OpSpec['kind'];

/**
 * All 14 ops of cellsearch's default search space (the NASNet paper's 13 plus 5x5 average pooling).
 * Dilated convolution uses rate 2, the usual reading of the paper's "3x3 dilated convolution".
 */
export const OPS = {
  identity: { kind: 'identity' },
  conv_1x3_3x1: { kind: 'factorized_conv', kernel: 3 },
  conv_1x7_7x1: { kind: 'factorized_conv', kernel: 7 },
  dil_conv_3x3: { kind: 'dilated_conv', kernel: 3, dilation: 2 },
  avg_pool_3x3: { kind: 'avg_pool', kernel: 3 },
  avg_pool_5x5: { kind: 'avg_pool', kernel: 5 },
  max_pool_3x3: { kind: 'max_pool', kernel: 3 },
  max_pool_5x5: { kind: 'max_pool', kernel: 5 },
  max_pool_7x7: { kind: 'max_pool', kernel: 7 },
  conv_1x1: { kind: 'conv', kernel: 1 },
  conv_3x3: { kind: 'conv', kernel: 3 },
  sep_conv_3x3: { kind: 'sep_conv', kernel: 3 },
  sep_conv_5x5: { kind: 'sep_conv', kernel: 5 },
  sep_conv_7x7: { kind: 'sep_conv', kernel: 7 },
} as const satisfies Record<string, OpSpec>;

/** The closed union of op names. */
export type OpName = keyof typeof OPS;

/** Every op name, in table order. */
export const OP_NAMES: readonly OpName[] = Object.freeze(Object.keys(OPS) as OpName[]);

/** True when `name` is one of the op names of {@link OPS}. */
export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.hasOwn(OPS, name);
}

/** The parameters of an op. */
export function opSpec(name: OpName): OpSpec {
  return OPS[name];
}

/** Fails to compile when a switch over a closed union misses a case; throws if reached at run time. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
