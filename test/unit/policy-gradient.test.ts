import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/rng.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { createJsGemm } from '../../controller/strategies/rl/kernels/js-gemm.ts';
import { createWasmGemm } from '../../controller/strategies/rl/kernels/wasm-gemm.ts';
import { expF32 } from '../../controller/strategies/rl/kernels/js-lstm-cell.ts';
import type { GemmKernel } from '../../controller/strategies/rl/kernels/gemm-kernel.ts';
import type { PolicyKernel } from '../../controller/strategies/rl/kernels/policy-kernel.ts';
import {
  createPolicyGradient,
  policyGradient,
} from '../../controller/strategies/rl/policy-gradient.ts';
import {
  PARAM_NAMES,
  initParams,
  mapParams,
  policyLayout,
  type PolicyLayout,
  type PolicyParams,
} from '../../controller/strategies/rl/policy-layout.ts';
import type {
  LossOptions,
  TrainingExample,
} from '../../controller/strategies/rl/policy-objective-types.ts';
import { lossAndGradients } from '../fixtures/tfjs-policy/tfjs-policy-loss.ts';
import { sampleSequence, samplerWeights } from '../../controller/strategies/rl/sampler.ts';
import { WASM_KERNELS, generatedModule } from '../../scripts/wasm-gen.ts';

/** Max abs difference of each gradient array, relative to the reference's max abs value. */
const TOLERANCE = 1e-4;

interface Problem {
  readonly layout: PolicyLayout;
  readonly params: PolicyParams;
  readonly examples: readonly TrainingExample[];
}

/**
 * Random parameters (wide enough for peaked softmaxes) and sampled sequences whose old
 * log-probabilities are shifted, so PPO's ratios fall inside and outside the clip range.
 */
function problem(seed: number, units: number, count = 6): Problem {
  const layout = policyLayout(DEFAULT_SPACE, units);
  const rng = createRng(seed);
  const params = initParams(layout, rng, 0.5);
  const weights = samplerWeights(layout, params);
  const examples = Array.from({ length: count }, () => {
    const { decisions, logp } = sampleSequence(layout, weights, rng);
    return { decisions, oldLogp: logp + 0.6 * (rng.next() - 0.5), advantage: 4 * rng.next() - 2 };
  });
  return { layout, params, examples };
}

function maxAbs(values: Float32Array): number {
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

function expectClose(p: Problem, options: LossOptions): void {
  const reference = lossAndGradients(p.layout, p.params, p.examples, options);
  const ours = policyGradient(p.layout, p.params, p.examples, options);
  expect(Math.abs(ours.loss - reference.loss)).toBeLessThan(1e-5 * Math.abs(reference.loss));
  for (const name of PARAM_NAMES) {
    const [want, got] = [reference.grads[name], ours.grads[name]];
    expect(got).toHaveLength(want.length);
    const diff = maxAbs(want.map((v, k) => v - (got[k] ?? NaN)));
    expect(diff, name).toBeLessThanOrEqual(TOLERANCE * maxAbs(want));
  }
}

describe('policyGradient', () => {
  const algorithms = ['ppo', 'reinforce'] as const;

  it.each(algorithms)('matches tfjs lossAndGradients (%s, units 8, several seeds)', (algorithm) => {
    for (const seed of [1, 2, 3, 4]) {
      expectClose(problem(seed, 8), { algorithm, clip: 0.2, entropyWeight: 0.3 });
    }
  });

  it('matches tfjs lossAndGradients at the default 100 units', () => {
    expectClose(problem(5, 100, 20), { algorithm: 'ppo', clip: 0.2, entropyWeight: 0.05 });
  });

  it('follows finite differences of its own loss on a tiny controller', () => {
    const p = problem(6, 4, 3);
    const options = { algorithm: 'reinforce', clip: 0.2, entropyWeight: 0.5 } as const;
    const { grads } = policyGradient(p.layout, p.params, p.examples, options);
    const lossAt = (name: (typeof PARAM_NAMES)[number], k: number, step: number): number => {
      const moved = mapParams(p.layout, (n) => Float32Array.from(p.params[n]));
      moved[name][k] = (moved[name][k] ?? 0) + step;
      return policyGradient(p.layout, moved, p.examples, options).loss;
    };
    const step = 1e-2;
    for (const name of PARAM_NAMES) {
      const g = grads[name];
      const largest = g.indexOf(g.reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0));
      for (const k of [largest, Math.floor(g.length / 3), g.length - 1]) {
        const numeric = (lossAt(name, k, step) - lossAt(name, k, -step)) / (2 * step);
        const analytic = g[k] ?? NaN;
        expect(Math.abs(numeric - analytic), `${name}[${k}]`).toBeLessThan(
          0.02 * Math.abs(analytic) + 2e-3,
        );
      }
      expect(Math.abs(g[largest] ?? 0), name).toBeGreaterThan(0.01);
    }
  });

  it('gives masked choices exactly zero gradient in the head and its bias', () => {
    const p = problem(7, 8, 5);
    const { layout } = p;
    const { grads } = policyGradient(p.layout, p.params, p.examples, {
      algorithm: 'ppo',
      clip: 0.2,
      entropyWeight: 0.3,
    });
    const { units: h, width: w } = layout;
    let masked = 0;
    layout.choices.forEach((choices, t) => {
      for (let a = 0; a < w; a++) {
        const column = Array.from({ length: h }, (_, k) => grads.head[(t * h + k) * w + a] ?? NaN);
        const values = [...column, grads.headBias[t * w + a] ?? NaN];
        if (a >= choices) {
          masked += 1;
          expect(values.every((v) => v === 0)).toBe(true);
        } else {
          expect(values.some((v) => v !== 0)).toBe(true);
        }
      }
    });
    expect(masked).toBeGreaterThan(0);
  });
});

describe('policy kernels', () => {
  /** Random heap contents of `scale`, then one forward and one backward cell step on `kernel`. */
  function cellSteps(kernel: PolicyKernel, n: number, h: number, scale: number): Float32Array {
    const g = 4 * h;
    const [cPrev, c, cTanh, state] = [n * g, n * g + n * h, n * g + 2 * n * h, n * g + 3 * n * h];
    const [stateT, dhOut, dhPrev] = [state + n * h, state + 2 * n * h, state + 3 * n * h];
    const [cellGrad, dGates, end] = [
      state + 4 * n * h,
      state + 5 * n * h,
      state + 5 * n * h + n * g,
    ];
    kernel.reserve(end);
    const x = kernel.heap();
    const rng = createRng(n * 100 + h);
    for (let i = 0; i < end; i++) x[i] = (2 * rng.next() - 1) * scale;
    const at = { n, h, gates: 0, cPrev, cTanh };
    kernel.cellForward({ ...at, c, state, ldState: h, stateT, ldStateT: n });
    kernel.cellBackward({ ...at, dhOut, ldDhOut: h, dhPrev, ldDhPrev: h, cellGrad, dGates });
    return kernel.heap().slice(0, end);
  }

  it('run the LSTM cell bit-identically in WebAssembly and JavaScript, saturated gates included', () => {
    for (const [n, h, scale] of [
      [3, 8, 3],
      [20, 100, 10],
      [5, 12, 200],
      [4, 6, 2],
      [2, 4, 1e-3],
    ]) {
      expect(cellSteps(createWasmGemm(), n!, h!, scale!)).toEqual(
        cellSteps(createJsGemm(), n!, h!, scale!),
      );
    }
  });

  it("compute the cell's exp to within 2 float32 ulps over its whole range", () => {
    for (let x = -87; x <= 88; x += 0.0137) {
      const z = Math.fround(x);
      expect(Math.abs(expF32(z) / Math.exp(z) - 1), `exp(${z})`).toBeLessThan(2 * 2 ** -24);
    }
  });

  it('give bit-identical policy gradients in WebAssembly and JavaScript', () => {
    for (const units of [8, 6]) {
      const p = problem(8, units, 5);
      const options = { algorithm: 'ppo', clip: 0.2, entropyWeight: 0.3 } as const;
      const wasm = createPolicyGradient(createWasmGemm())(p.layout, p.params, p.examples, options);
      const js = createPolicyGradient(createJsGemm())(p.layout, p.params, p.examples, options);
      expect(wasm.loss).toBe(js.loss);
      for (const name of PARAM_NAMES) expect(wasm.grads[name], name).toEqual(js.grads[name]);
    }
  });
});

describe('gemm kernels', () => {
  /** Runs C = A B (and C += A B) on `kernel` with padded leading dimensions; returns C. */
  function product(kernel: GemmKernel, m: number, n: number, k: number, accumulate: boolean) {
    const [lda, ldb, ldc] = [k + 3, n + 4, n + 8];
    const [a, b, c] = [0, 4 * m * lda, 4 * m * lda + 4 * k * ldb];
    kernel.reserve(c + m * ldc);
    const x = kernel.heap();
    const rng = createRng(m * 1000 + n * 10 + k);
    for (let i = 0; i < c + m * ldc; i++) x[i] = 2 * rng.next() - 1;
    kernel.gemm(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    return kernel.heap().slice(c, c + m * ldc);
  }

  it('compute bit-identical products in WebAssembly and JavaScript, edges included', () => {
    const shapes = [
      [20, 400, 100],
      [7, 12, 5],
      [3, 4, 9],
      [5, 28, 1],
      [1, 8, 3],
    ] as const;
    for (const [m, n, k] of shapes) {
      for (const accumulate of [false, true]) {
        const wasm = product(createWasmGemm(), m, n, k, accumulate);
        const js = product(createJsGemm(), m, n, k, accumulate);
        expect(wasm).toEqual(js);
      }
    }
  });

  it('agree with a float64 product to float32 rounding', () => {
    const [m, n, k] = [6, 12, 50];
    const kernel = createJsGemm();
    const c = product(kernel, m, n, k, false);
    const x = kernel.heap();
    const [lda, ldb, ldc] = [k + 3, n + 4, n + 8];
    const b = 4 * m * lda;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += (x[i * lda + p] ?? 0) * (x[b + p * ldb + j] ?? 0);
        expect(Math.abs((c[i * ldc + j] ?? NaN) - sum)).toBeLessThan(1e-5);
      }
    }
  });

  it('keeps the generated WebAssembly module in step with its .wat source', async () => {
    for (const kernel of WASM_KERNELS) {
      expect(readFileSync(kernel.generated, 'utf8')).toBe(await generatedModule(kernel));
    }
  });
});
