/**
 * One RL policy update (PPO, 4 epochs of loss, gradients and an Adam step on a minibatch of 20
 * decision sequences in the default space) on tfjs' wasm backend (the tfjs reference the update
 * worker ran before, test/fixtures/tfjs-policy/) against policy-gradient.ts on its WebAssembly SIMD kernel (matrix products and LSTM cell) and on its plain-JavaScript kernel:
 * median milliseconds per update, the speed-up over tfjs-wasm, and how far each result's parameters
 * are from tfjs' (max abs difference over max abs value).
 * Run: npx tsx bench/policy-update.ts [--updates 10] [--units 100]
 */
import { parseArgs } from 'node:util';
import { createRng } from '../shared/rng.ts';
import { DEFAULT_SPACE } from '../shared/search-space.ts';
import { adamStep, initAdam, type AdamState } from '../controller/strategies/rl/adam.ts';
import { createJsGemm } from '../controller/strategies/rl/kernels/js-gemm.ts';
import { createWasmGemm } from '../controller/strategies/rl/kernels/wasm-gemm.ts';
import {
  createPolicyGradient,
  type PolicyGradient,
} from '../controller/strategies/rl/policy-gradient.ts';
import {
  PARAM_NAMES,
  initParams,
  mapParams,
  policyLayout,
  type PolicyLayout,
  type PolicyParams,
} from '../controller/strategies/rl/policy-layout.ts';
import type { TrainingExample } from '../controller/strategies/rl/policy-objective-types.ts';
import { sampleSequence, samplerWeights } from '../controller/strategies/rl/sampler.ts';
import { lossAndGradients } from '../test/fixtures/tfjs-policy/tfjs-policy-loss.ts';
import { useWasmBackend } from '../test/fixtures/tfjs-policy/tf.ts';
import type { UpdateOptions } from '../controller/strategies/rl/update-protocol.ts';

const { values } = parseArgs({
  options: {
    updates: { type: 'string', default: '10' },
    units: { type: 'string', default: '100' },
  },
});
const UPDATES = Number(values.updates);
const UNITS = Number(values.units);
const EXAMPLES = 20;
/** RL defaults (shared/strategy-config.ts) but for the entropy weight, raised so it matters. */
const OPTIONS: UpdateOptions = {
  algorithm: 'ppo',
  clip: 0.2,
  entropyWeight: 0.01,
  learningRate: 0.00035,
  epochs: 4,
};

interface Problem {
  readonly layout: PolicyLayout;
  readonly params: PolicyParams;
  readonly examples: readonly TrainingExample[];
}

/** Paper-style initial parameters and a minibatch sampled from them with random advantages. */
function problem(): Problem {
  const layout = policyLayout(DEFAULT_SPACE, UNITS);
  const rng = createRng(1);
  const params = initParams(layout, rng, 0.1);
  const weights = samplerWeights(layout, params);
  const examples = Array.from({ length: EXAMPLES }, () => {
    const { decisions, logp } = sampleSequence(layout, weights, rng);
    return { decisions, oldLogp: logp, advantage: 2 * rng.next() - 1 };
  });
  return { layout, params, examples };
}

type Update = (params: PolicyParams, adam: AdamState) => void;

const copy = (p: PolicyParams, layout: PolicyLayout): PolicyParams =>
  mapParams(layout, (name) => Float32Array.from(p[name]));

/** Median ms of `UPDATES` updates from the same start (after one warm-up), and the last result. */
function time(run: Update, { layout, params }: Problem): { ms: number; result: PolicyParams } {
  const times: number[] = [];
  let result = params;
  for (let i = 0; i <= UPDATES; i++) {
    const [p, adam] = [copy(params, layout), initAdam(layout)];
    const start = performance.now();
    run(p, adam);
    if (i > 0) times.push(performance.now() - start);
    result = p;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? NaN, result };
}

function ours(gradient: PolicyGradient, { layout, examples }: Problem): Update {
  return (params, adam) => {
    for (let epoch = 0; epoch < OPTIONS.epochs; epoch++) {
      const { grads } = gradient(layout, params, examples, OPTIONS);
      adamStep(params, grads, adam, OPTIONS.learningRate);
    }
  };
}

function relativeDiff(a: PolicyParams, b: PolicyParams): number {
  let [diff, scale] = [0, 0];
  for (const name of PARAM_NAMES) {
    a[name].forEach((v, k) => {
      diff = Math.max(diff, Math.abs(v - (b[name][k] ?? NaN)));
      scale = Math.max(scale, Math.abs(v));
    });
  }
  return diff / scale;
}

async function main(): Promise<void> {
  await useWasmBackend();
  const p = problem();
  const tfjs = ours(lossAndGradients, p);
  const base = time(tfjs, p);
  console.log(
    `policy update: H=${UNITS}, ${EXAMPLES} examples, ${OPTIONS.epochs} epochs, median of ${UPDATES}`,
  );
  console.log(`  tfjs-wasm (the previous path)   ${base.ms.toFixed(1).padStart(8)} ms`);
  const variants: [string, PolicyGradient][] = [
    ['policyGradient, wasm SIMD gemm', createPolicyGradient(createWasmGemm())],
    ['policyGradient, plain JS gemm', createPolicyGradient(createJsGemm())],
  ];
  for (const [name, gradient] of variants) {
    const { ms, result } = time(ours(gradient, p), p);
    const ratio = (base.ms / ms).toFixed(1);
    const diff = relativeDiff(base.result, result).toExponential(1);
    console.log(
      `  ${name.padEnd(31)} ${ms.toFixed(1).padStart(8)} ms  x${ratio}  params diff ${diff}`,
    );
  }
}

await main();
