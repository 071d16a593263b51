/**
 * The strategy benchmark (bench/search/): each landscape's optimum is what it says (attained by its
 * optimal genotype, exceeded by none: exhaustively on a tiny space, by property on the real one),
 * the landscape trainer's answers pass the controller's result check, and a tiny benchmark runs
 * real nas-ctl and trainer processes whose stored rewards are exactly the landscape's values. It
 * does not assert that one strategy beats another: at 300 trials on the additive landscape,
 * evolution's lead over random search was 0, -0.001, 0.038, 0.029 and 0.018 of the optimum for
 * seeds 0-4 (default population 100, sample 25), no margin to assert.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionSlots, encodeDecisions } from '../../shared/decisions.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { COMBINES, DEFAULT_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { readRun } from '../../controller/reports/read-run.ts';
import { checkTrialResult } from '../../controller/search/result-check.ts';
import { genotypeValue, optimalGenotype, type Landscape } from '../../bench/search/landscape.ts';
import { LANDSCAPE_NAMES, LANDSCAPES } from '../../bench/search/landscapes.ts';
import { runBench } from '../../bench/search/run-bench.ts';
import { genotypeArb } from '../arbitraries/genotype.ts';
import { landscapeResult } from '../fixtures/landscape-trainer.ts';

/** A space small enough to try every decision sequence: 3 ops, 1 block (5,184 sequences). */
const TINY: SearchSpace = {
  name: 'tiny',
  ops: DEFAULT_SPACE.ops.slice(0, 3),
  blocks: 1,
  combines: COMBINES,
};

/** Every decision sequence of `space`. */
function* everySequence(space: SearchSpace): Generator<number[]> {
  const slots = decisionSlots(space);
  const sequence = slots.map(() => 0);
  for (;;) {
    yield [...sequence];
    let i = 0;
    while (i < slots.length && (sequence[i] ?? 0) + 1 >= (slots[i]?.choices ?? 1))
      sequence[i++] = 0;
    if (i === slots.length) return;
    sequence[i] = (sequence[i] ?? 0) + 1;
  }
}

const built = new Map<string, Landscape>();
/** The default-space landscape `name` of `seed`, built once (the pairwise one takes a moment). */
function landscapeOf(name: (typeof LANDSCAPE_NAMES)[number], seed: number): Landscape {
  const key = `${name}:${seed}`;
  const landscape = built.get(key) ?? LANDSCAPES[name].create(DEFAULT_SPACE, seed);
  built.set(key, landscape);
  return landscape;
}

describe.each(LANDSCAPE_NAMES)('the %s landscape', (name) => {
  it('has its optimum at its optimal sequence and nowhere higher, trying every sequence of a tiny space', () => {
    for (const seed of [0, 1, 2]) {
      const landscape = LANDSCAPES[name].create(TINY, seed);
      let top = -Infinity;
      for (const sequence of everySequence(TINY)) top = Math.max(top, landscape.value(sequence));
      expect(landscape.value(landscape.optimal)).toBeCloseTo(landscape.optimum, 12);
      expect(top).toBeCloseTo(landscape.optimum, 12);
    }
  });

  it('reaches its optimum with its optimal genotype, and no genotype exceeds it or leaves [0, 1]', () => {
    for (const seed of [0, 1]) {
      const landscape = landscapeOf(name, seed);
      expect(genotypeValue(landscape, optimalGenotype(landscape))).toBeCloseTo(
        landscape.optimum,
        12,
      );
      fc.assert(
        fc.property(genotypeArb(DEFAULT_SPACE), fc.nat(3), (genotype, evaluation) => {
          const value = genotypeValue(landscape, genotype);
          const reported = landscape.report(encodeDecisions(genotype, DEFAULT_SPACE), evaluation);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(landscape.optimum + 1e-12);
          expect(reported).toBeGreaterThanOrEqual(0);
          expect(reported).toBeLessThanOrEqual(1);
        }),
        { seed: 23, numRuns: 200 },
      );
    }
  });
});

describe('the landscape trainer', () => {
  it("answers with results the controller's result check accepts, reporting the landscape's accuracy", () => {
    const landscape = landscapeOf('noisy', 0);
    fc.assert(
      fc.property(
        genotypeArb(DEFAULT_SPACE),
        fc.integer({ min: 1, max: 3 }),
        (genotype, epochs) => {
          const request: TrialRequest = {
            genotype,
            network: { cells: 1, filters: 24, skeleton: 'cifar', auxHead: false },
            training: { ...DEFAULT_TRAINING, epochs, validationSize: 8 },
            dataset: parseDatasetSpec('synthetic:classes=2,size=8,train=32,test=8'),
          };
          const result = landscapeResult(landscape, request, 0);
          expect(checkTrialResult(result, request)).toEqual({ ok: true });
          const accuracy = landscape.report(encodeDecisions(genotype, DEFAULT_SPACE), 0);
          expect(result.epochs.map((e) => e.validationAccuracy)).toEqual(
            Array(epochs).fill(accuracy),
          );
        },
      ),
      { seed: 23, numRuns: 30 },
    );
  });
});

describe('the strategy benchmark', () => {
  it('runs real nas-ctl searches against landscape trainer processes, whose rewards are the landscape values', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'cellsearch-bench-search-'));
    const budgets = [50, 150];
    const report = await runBench({
      strategies: ['random', 'evolution'],
      landscapes: ['additive'],
      seeds: 1,
      budgets,
      jobs: 2,
      inFlight: 8,
      runsDir,
    });
    expect(report.cells.map((c) => [c.strategy, c.budget])).toEqual([
      ['random', 50],
      ['random', 150],
      ['evolution', 50],
      ['evolution', 150],
    ]);
    for (const outcome of report.outcomes) {
      expect(outcome.curve).toHaveLength(150);
      // Noise-free: the incumbent only improves, and never beyond the optimum.
      outcome.curve
        .slice(1)
        .forEach((f, i) => expect(f).toBeGreaterThanOrEqual(outcome.curve[i] ?? 0));
      expect(outcome.curve.at(-1)).toBeLessThanOrEqual(1);
    }
    // Every reward the controller stored is the landscape's value of the stored genotype, exactly.
    const landscape = landscapeOf('additive', 0);
    await readRun(join(runsDir, 'additive-random-seed0'), (store) => {
      const trials = store.finishedTrials();
      expect(trials).toHaveLength(150);
      for (const trial of trials)
        expect(trial.reward).toBe(genotypeValue(landscape, trial.genotype));
    });
  });
});
