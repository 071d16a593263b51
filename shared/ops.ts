/**
 * The operation table: every op a block may apply to a hidden state, with its parameters as data,
 * and one record per op kind with the layers it is made of (./op-step.ts). Costs, activation
 * counts, the tfjs builder and its Keras twin all follow from that record.
 */
import { bnStep, convStep, reluStep, type OpSite, type OpStep } from './op-step.ts';

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

/** The spec of each op kind, by kind. */
type SpecByKind = { readonly [S in OpSpec as S['kind']]: S };

/** The spec of op kind `K`. */
export type OpSpecOf<K extends OpKind> = SpecByKind[K];

/**
 * What one op kind is: whether it needs a projection and the layers it is made of. Generic in the
 * spec so that any kind, the table's or a test's, goes through the same functions ({@link kindSteps}).
 */
export interface OpKindRecord<S> {
  /**
   * True when the op needs its 1x1 conv -> BN projection to reach F channels or the stride
   * (identity and pooling, TF-slim `_apply_conv_operation`); convolutions reach F themselves.
   */
  projects(spec: S, site: OpSite): boolean;
  /** The op's layers in order; `projects` is this record's answer for the same site. */
  steps(spec: S, site: OpSite, projects: boolean): readonly OpStep[];
}

/** One record per op kind, each typed by that kind's spec. */
export type OpKindTable = { readonly [K in OpKind]: OpKindRecord<OpSpecOf<K>> };

const neverProjects = (): boolean => false;
const channelsDiffer = (_: unknown, site: OpSite): boolean => site.cin !== site.filters;

/** ReLU -> k x k conv (the op's stride) -> BN. */
function reluConvBn(kernel: number, { filters, stride: s }: OpSite): readonly OpStep[] {
  return [reluStep(), convStep('conv', [kernel, kernel], filters, [s, s]), bnStep()];
}

/** Pooling at the op's stride, then the 1x1 conv -> BN projection (stride 1, no ReLU) if it projects. */
function pooled(pool: 'avg' | 'max', kernel: number, site: OpSite, projects: boolean): OpStep[] {
  const steps: OpStep[] = [{ step: 'pool', name: 'pool', pool, kernel, stride: site.stride }];
  if (projects) steps.push(convStep('conv', [1, 1], site.filters), bnStep());
  return steps;
}

/** One layer of TF-slim's `_stacked_separable_conv`: ReLU -> depthwise (stride) -> pointwise -> BN. */
function separable(layer: string, kernel: number, filters: number, stride: number): OpStep[] {
  const conv: OpStep = { step: 'separable', name: layer, kernel, filters, stride };
  return [reluStep(`${layer}/relu`), conv, bnStep(`${layer}/bn`)];
}

/**
 * Every op kind. sep_conv is TF-slim's `_stacked_separable_conv` with two layers; identity and
 * pooling follow `_apply_conv_operation`. The conv forms (conv, factorized_conv, dilated_conv) are
 * cellsearch's choice of a plain ReLU -> conv -> BN, since the released NASNet code has none
 * (docs/nasnet.md#ops-and-cell-wiring).
 */
export const OP_KINDS: OpKindTable = Object.freeze({
  identity: {
    projects: (_, { cin, filters, stride }) => stride > 1 || cin !== filters,
    steps: (_, site, projects) => (projects ? reluConvBn(1, site) : []),
  },
  conv: { projects: neverProjects, steps: (spec, site) => reluConvBn(spec.kernel, site) },
  factorized_conv: {
    projects: neverProjects,
    // 1 x k with stride (1, s) keeps the input height; k x 1 with stride (s, 1) then halves it.
    steps: ({ kernel: k }, { filters, stride: s }) => [
      reluStep(),
      convStep(`conv_1x${k}`, [1, k], filters, [1, s]),
      convStep(`conv_${k}x1`, [k, 1], filters, [s, 1]),
      bnStep(),
    ],
  },
  dilated_conv: {
    projects: neverProjects,
    steps: ({ kernel: k, dilation: d }, { filters, stride: s }) => [
      reluStep(),
      convStep('conv', [k, k], filters, [s, s], [d, d]),
      bnStep(),
    ],
  },
  sep_conv: {
    projects: neverProjects,
    steps: ({ kernel }, { filters, stride }) => [
      ...separable('layer_0', kernel, filters, stride),
      ...separable('layer_1', kernel, filters, 1),
    ],
  },
  avg_pool: {
    projects: channelsDiffer,
    steps: (spec, site, projects) => pooled('avg', spec.kernel, site, projects),
  },
  max_pool: {
    projects: channelsDiffer,
    steps: (spec, site, projects) => pooled('max', spec.kernel, site, projects),
  },
} satisfies OpKindTable);

/** The layers of an op of any kind, given that kind's record. */
export function kindSteps<S>(record: OpKindRecord<S>, spec: S, site: OpSite): readonly OpStep[] {
  return record.steps(spec, site, record.projects(spec, site));
}

/** The record of op kind `kind` (typed so that it accepts that kind's spec). */
function kindRecord<K extends OpKind>(kind: K): OpKindRecord<OpSpecOf<K>> {
  return OP_KINDS[kind];
}

/** The layers of op `spec` at `site`. */
export function opSteps(spec: OpSpec, site: OpSite): readonly OpStep[] {
  return kindSteps(kindRecord(spec.kind), spec, site);
}

/** True when op `spec` needs its 1x1 conv -> BN projection at `site` (see {@link OpKindRecord}). */
export function specProjects(spec: OpSpec, site: OpSite): boolean {
  return kindRecord(spec.kind).projects(spec, site);
}

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
