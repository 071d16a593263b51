/**
 * One op of a block as standard Keras layers, mirroring ./op-layer.ts op for op (same ReLU -> conv
 * -> BN order, strides, SAME padding, projections and parameter names), in inference form: no drop
 * path.
 */
import { opProjects, type OpPlan } from '../../shared/cell-plan.ts';
import { assertNever, opSpec } from '../../shared/ops.ts';
import { tf } from '../tf.ts';
import {
  applyLayer,
  batchNormLayer,
  convLayer,
  layerName,
  reluLayer,
  separableLayer,
  subsampleLayer,
  type KerasGraph,
  type Sym,
} from './keras-layers.ts';

/** What every op needs: its weights' prefix `<prefix>/<op name>`, channels and stride. */
interface OpSite {
  readonly g: KerasGraph;
  readonly at: string;
  readonly f: number;
  readonly stride: 1 | 2;
}

/** Applies op `plan.op` to `x`; its layers are named after its weights, `<prefix>/<op>/...`. */
export function applyOp(g: KerasGraph, prefix: string, plan: OpPlan, x: Sym): Sym {
  const spec = opSpec(plan.op);
  const site: OpSite = {
    g,
    at: `${prefix}/${plan.op}`,
    f: plan.output.channels,
    stride: plan.stride,
  };
  const projects = opProjects(spec, plan.input.channels, site.f, site.stride);
  switch (spec.kind) {
    case 'sep_conv':
      return sepConv(site, spec.kernel, x);
    case 'identity':
      return projects ? reluConvBn(site, 1, x) : x;
    case 'avg_pool':
      return pooled(site, 'avg', spec.kernel, projects, x);
    case 'max_pool':
      return pooled(site, 'max', spec.kernel, projects, x);
    case 'conv':
      return reluConvBn(site, spec.kernel, x);
    case 'factorized_conv':
      return factorizedConv(site, spec.kernel, x);
    case 'dilated_conv':
      return dilated(site, spec.kernel, spec.dilation, x);
    default:
      return assertNever(spec, 'op');
  }
}

/** ReLU -> k x k conv (stride s) -> BN. */
function reluConvBn(site: OpSite, k: number, x: Sym): Sym {
  const { g, at, f, stride: s } = site;
  const y = convLayer(g, `${at}/conv`, reluLayer(`${at}/relu`, x), [k, k], f, { strides: [s, s] });
  return batchNormLayer(g, `${at}/bn`, y);
}

/**
 * SAME pooling (average pooling excludes padding from its divisor, as TensorFlow's), then the
 * 1x1 conv -> BN projection at stride 1 when the op `projects`.
 */
function pooled(site: OpSite, kind: 'avg' | 'max', k: number, projects: boolean, x: Sym): Sym {
  const { g, at, f, stride: s } = site;
  const args = { name: layerName(`${at}/pool`), poolSize: k, strides: s, padding: 'same' as const };
  const pool = kind === 'avg' ? tf.layers.averagePooling2d(args) : tf.layers.maxPooling2d(args);
  const y = applyLayer(pool, x);
  if (!projects) return y;
  return batchNormLayer(g, `${at}/bn`, convLayer(g, `${at}/conv`, y, [1, 1], f));
}

/** ReLU -> 1 x k conv (stride [1, s]) -> k x 1 conv (stride [s, 1]) -> BN. */
function factorizedConv(site: OpSite, k: number, x: Sym): Sym {
  const { g, at, f, stride: s } = site;
  const rows = convLayer(g, `${at}/conv_1x${k}`, reluLayer(`${at}/relu`, x), [1, k], f, {
    strides: [1, s],
  });
  const cols = convLayer(g, `${at}/conv_${k}x1`, rows, [k, 1], f, { strides: [s, 1] });
  return batchNormLayer(g, `${at}/bn`, cols);
}

/** ReLU -> k x k conv dilated by `rate` at stride 1, subsampled by s -> BN (./conv-ops.ts). */
function dilated(site: OpSite, k: number, rate: number, x: Sym): Sym {
  const { g, at, f, stride: s } = site;
  const y = convLayer(g, `${at}/conv`, reluLayer(`${at}/relu`, x), [k, k], f, {
    dilation: [rate, rate],
  });
  return batchNormLayer(g, `${at}/bn`, subsampleLayer(`${at}/subsample`, y, [s, s]));
}

/** TF-slim `_stacked_separable_conv`, two layers: ReLU -> separable (stride on the first) -> BN. */
function sepConv(site: OpSite, k: number, x: Sym): Sym {
  let y = x;
  for (const [layer, s] of [
    ['layer_0', site.stride],
    ['layer_1', 1],
  ] as const) {
    const at = `${site.at}/${layer}`;
    y = separableLayer(site.g, at, reluLayer(`${at}/relu`, y), k, site.f, s);
    y = batchNormLayer(site.g, `${at}/bn`, y);
  }
  return y;
}
