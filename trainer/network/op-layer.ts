/**
 * The layer of one op of a block, built from its plan (cell-plan.ts `OpPlan`) exactly as
 * shared/op-cost.ts counts it, so that parameters match `complexity()`. Convolutions follow
 * ReLU -> conv -> BN without biases (as TF-slim's `nasnet_utils.py`; see
 * docs/nasnet.md#ops-and-cell-wiring).
 */
import { opProjects, type OpPlan } from '../../shared/cell-plan.ts';
import { assertNever, opSpec } from '../../shared/ops.ts';
import { batchNorm, type BatchNormSettings } from './batch-norm.ts';
import type { Pair } from './conv-ops.ts';
import { conv, depthwise, dilatedConv, type Channels } from './conv-layers.ts';
import { identity, relu, sequence, type Layer } from './layer.ts';
import type { ParamStore } from './param-store.ts';
import { avgPool, maxPool } from './pooling.ts';

/** What every op builder needs: where to put weights, and the op's channels and stride. */
interface OpSite {
  readonly store: ParamStore;
  /** Weight-name prefix, `<prefix>/<op name>`. */
  readonly at: string;
  readonly cin: number;
  readonly f: number;
  readonly stride: 1 | 2;
  readonly bn: BatchNormSettings;
}

/** Builds op `plan.op`; its weights are named `<prefix>/<op name>/...`. */
export function buildOp(
  store: ParamStore,
  prefix: string,
  plan: OpPlan,
  bn: BatchNormSettings,
): Layer {
  const spec = opSpec(plan.op);
  const site: OpSite = {
    store,
    at: `${prefix}/${plan.op}`,
    cin: plan.input.channels,
    f: plan.output.channels,
    stride: plan.stride,
    bn,
  };
  const projects = opProjects(spec, site.cin, site.f, site.stride);
  switch (spec.kind) {
    case 'sep_conv':
      return sepConv(site, spec.kernel);
    case 'identity':
      return projects ? reluConvBn(site, [1, 1]) : identity;
    case 'avg_pool':
      return pooled(site, avgPool(spec.kernel, site.stride, plan.input), projects);
    case 'max_pool':
      return pooled(site, maxPool(spec.kernel, site.stride), projects);
    case 'conv':
      return reluConvBn(site, [spec.kernel, spec.kernel]);
    case 'factorized_conv':
      return factorizedConv(site, spec.kernel);
    case 'dilated_conv':
      return dilated(site, spec.kernel, spec.dilation);
    default:
      return assertNever(spec, 'op');
  }
}

function channels(site: OpSite): Channels {
  return { cin: site.cin, cout: site.f };
}

function norm(site: OpSite, name = 'bn'): Layer {
  return batchNorm(site.store, `${site.at}/${name}`, site.f, site.bn);
}

/** conv k (stride s) -> BN; the projection of pooling ops has no ReLU. */
function convBn(site: OpSite, kernel: Pair): Layer {
  const s = site.stride;
  return sequence(conv(site.store, `${site.at}/conv`, kernel, channels(site), [s, s]), norm(site));
}

/** A pooling layer, followed by its 1x1 conv -> BN projection (stride 1) when it `projects`. */
function pooled(site: OpSite, pool: Layer, projects: boolean): Layer {
  return projects ? sequence(pool, convBn({ ...site, stride: 1 }, [1, 1])) : pool;
}

function reluConvBn(site: OpSite, kernel: Pair): Layer {
  return sequence(relu, convBn(site, kernel));
}

/** ReLU -> 1 x k conv (stride [1, s]) -> k x 1 conv (stride [s, 1]) -> BN. */
function factorizedConv(site: OpSite, k: number): Layer {
  const { store, at, f, stride: s } = site;
  const rows = conv(store, `${at}/conv_1x${k}`, [1, k], channels(site), [1, s]);
  const cols = conv(store, `${at}/conv_${k}x1`, [k, 1], { cin: f, cout: f }, [s, 1]);
  return sequence(relu, rows, cols, norm(site));
}

/** ReLU -> k x k conv dilated by `rate` (stride s) -> BN. */
function dilated(site: OpSite, k: number, rate: number): Layer {
  const s = site.stride;
  const name = `${site.at}/conv`;
  const body = dilatedConv(site.store, name, [k, k], channels(site), [rate, rate], [s, s]);
  return sequence(relu, body, norm(site));
}

/** TF-slim `_stacked_separable_conv` with two layers: the first has the stride, both end in BN. */
function sepConv(site: OpSite, k: number): Layer {
  const first = separable(site, 'layer_0', k, site.cin, site.stride);
  return sequence(first, separable(site, 'layer_1', k, site.f, 1));
}

/** One separable layer: ReLU -> depthwise k (stride) -> pointwise to F -> BN. */
function separable(site: OpSite, layer: string, k: number, cin: number, s: number): Layer {
  const { store, at, f } = site;
  return sequence(
    relu,
    depthwise(store, `${at}/${layer}/depthwise`, [k, k], cin, [s, s]),
    conv(store, `${at}/${layer}/pointwise`, [1, 1], { cin, cout: f }),
    norm(site, `${layer}/bn`),
  );
}
