/**
 * Every layer kind an op is made of (shared/op-step.ts), each with its tfjs builder and its Keras
 * twin side by side: an op is built and exported from the same list of layers, so the two forms
 * cannot drift. A step's weights are named `<op prefix>/<step name>`; its Keras layer is named
 * after them (`/` written as `.`), and the twin binds the very parameters the builder made.
 */
import type { OpStep, OpStepKind, PlacedStep } from '../../shared/op-step.ts';
import type { Shape } from '../../shared/shape.ts';
import { tf } from '../tf.ts';
import { batchNorm, type BatchNormSettings } from './batch-norm.ts';
import { conv, depthwise, dilatedConv } from './conv-layers.ts';
import {
  applyLayer,
  batchNormLayer,
  convLayer,
  depthwiseLayer,
  layerName,
  reluLayer,
  separableLayer,
  subsampleLayer,
  type KerasGraph,
  type Sym,
} from './keras-layers.ts';
import { identity, relu, sequence, type Layer } from './layer.ts';
import type { ParamStore } from './param-store.ts';
import { avgPool, maxPool } from './pooling.ts';

/** Where a step sits: its weights' path `<op prefix>/<name>` and the shapes it reads and writes. */
export interface StepSite {
  readonly path: string;
  readonly input: Shape;
  readonly output: Shape;
}

/** What a tfjs builder needs besides the step: where weights go and the network's BN settings. */
export interface StepBuild {
  readonly store: ParamStore;
  readonly bn: BatchNormSettings;
}

/** One layer kind: the tfjs layer (it creates its parameters) and its Keras twin (it binds them). */
export interface StepLayers<S> {
  build(step: S, site: StepSite, on: StepBuild): Layer;
  keras(step: S, site: StepSite, g: KerasGraph, x: Sym): Sym;
}

type StepByKind = { readonly [S in OpStep as S['step']]: S };

/** One builder and twin per layer kind, each typed by that kind's step. */
export type StepLayersTable = { readonly [K in OpStepKind]: StepLayers<StepByKind[K]> };

/** The builder and twin of every layer kind. */
export const STEP_LAYERS: StepLayersTable = Object.freeze({
  relu: {
    build: () => relu,
    keras: (_, { path }, __, x) => reluLayer(path, x),
  },
  conv: {
    build: (s, { path, input }, { store }) => {
      const channels = { cin: input.channels, cout: s.filters };
      const plain = s.dilation[0] === 1 && s.dilation[1] === 1;
      if (plain) return conv(store, path, s.kernel, channels, s.strides);
      return dilatedConv(store, path, s.kernel, channels, s.dilation, s.strides);
    },
    // Keras has no strided dilated convolution: the stride-1 result, subsampled (./conv-ops.ts) by
    // a weightless layer named beside the conv (`.../conv` -> `.../subsample`).
    keras: (s, { path }, g, x) => {
      if (s.dilation[0] === 1 && s.dilation[1] === 1) {
        return convLayer(g, path, x, s.kernel, s.filters, { strides: s.strides });
      }
      const y = convLayer(g, path, x, s.kernel, s.filters, { dilation: s.dilation });
      return subsampleLayer(path.replace(/[^/]*$/, 'subsample'), y, s.strides);
    },
  },
  depthwise: {
    build: (s, { path, input }, { store }) =>
      depthwise(store, path, s.kernel, input.channels, s.strides),
    keras: (s, { path }, g, x) => depthwiseLayer(g, path, x, s.kernel, s.strides),
  },
  separable: {
    build: (s, { path, input }, { store }) => {
      const [k, cin] = [s.kernel, input.channels];
      return sequence(
        depthwise(store, `${path}/depthwise`, [k, k], cin, [s.stride, s.stride]),
        conv(store, `${path}/pointwise`, [1, 1], { cin, cout: s.filters }),
      );
    },
    keras: (s, { path }, g, x) => separableLayer(g, path, x, s.kernel, s.filters, s.stride),
  },
  pool: {
    build: (s, { input }) =>
      s.pool === 'avg' ? avgPool(s.kernel, s.stride, input) : maxPool(s.kernel, s.stride),
    keras: (s, { path }, _, x) => {
      const args = { name: layerName(path), poolSize: s.kernel, strides: s.stride };
      const same = { ...args, padding: 'same' as const };
      const layer =
        s.pool === 'avg' ? tf.layers.averagePooling2d(same) : tf.layers.maxPooling2d(same);
      return applyLayer(layer, x);
    },
  },
  bn: {
    build: (_, { path, output }, { store, bn }) => batchNorm(store, path, output.channels, bn),
    keras: (_, { path }, g, x) => batchNormLayer(g, path, x),
  },
} satisfies StepLayersTable);

/** The builder and twin of `step`'s kind (typed so that they accept that step). */
function layersOf<K extends OpStepKind>(kind: K): StepLayers<StepByKind[K]> {
  return STEP_LAYERS[kind];
}

function siteOf(at: string, placed: PlacedStep): StepSite {
  return { path: `${at}/${placed.step.name}`, input: placed.input, output: placed.output };
}

/** The tfjs layer of a list of placed steps, weights under `at`; no steps is the identity. */
export function buildSteps(
  store: ParamStore,
  at: string,
  layers: readonly PlacedStep[],
  bn: BatchNormSettings,
): Layer {
  const built = layers.map((p) =>
    layersOf(p.step.step).build(p.step, siteOf(at, p), { store, bn }),
  );
  return built.length === 0 ? identity : sequence(...built);
}

/** The Keras twin of {@link buildSteps}: the same layers applied to `x`, bound to the same weights. */
export function applySteps(g: KerasGraph, at: string, layers: readonly PlacedStep[], x: Sym): Sym {
  return layers.reduce((y, p) => layersOf(p.step.step).keras(p.step, siteOf(at, p), g, y), x);
}
