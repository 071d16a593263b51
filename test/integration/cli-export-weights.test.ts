/**
 * `nas-ctl export --weights`: the best genotype of a finished run is trained again locally with
 * the run's stored settings and saved as a LayersModel beside its genotype file, which evaluate
 * then reads; with the trials CSV on stdout, the retraining's progress goes to stderr; without --out
 * the flag is refused.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRunStore } from '../../controller/store/index.ts';
import { createStrategy, defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { encodeSearchSettings, parseSearchSettings } from '../../shared/search-settings.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { driveToEnd, loopOver } from '../fixtures/finished-run.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';

const DATASET = 'synthetic:classes=3,size=12,train=48,test=16';

/** A finished random search of 3 trials whose stored settings train in seconds. */
function tinyRun(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-export-weights-')), 'run');
  const settings = parseSearchSettings(
    {
      strategy: defaultStrategyConfig('random', 2),
      maxTrials: 3,
      dataset: DATASET,
      network: { cells: 1, filters: 24, skeleton: 'cifar', auxHead: false },
      training: { epochs: 1, stepsPerEpoch: 2, batchSize: 8, validationSize: 16, seed: 5 },
      reuseDuplicates: true,
    },
    'the test',
  );
  const config = {
    strategy: 'random',
    seed: 2,
    space: DEFAULT_SPACE,
    settings: encodeSearchSettings(settings),
  };
  const store = createRunStore(dir, config);
  try {
    driveToEnd(
      loopOver(store, createStrategy(defaultStrategyConfig('random', 2), DEFAULT_SPACE), 3),
    );
  } finally {
    store.close();
  }
  return dir;
}

/** The parts of summary.json, metrics.json and evaluate --json the test reads. */
const Summary = z.object({
  genotypes: z.array(z.object({ file: z.string(), trialId: z.number() })),
});
const Metrics = z.object({
  request: z.object({
    genotype: z.unknown(),
    dataset: z.string(),
    training: z.object({ seed: z.number(), epochs: z.number() }),
  }),
});
const Evaluation = z.object({ count: z.number() });

const testBackend = await loadTestBackend(TEST_BACKEND, false);

describe.skipIf(testBackend === null)(`nas-ctl export --weights on ${TEST_BACKEND}`, () => {
  it('trains the best genotype again with the stored settings into rank-1-<hash>/', async () => {
    const run = tinyRun();
    const out = join(run, '..', 'found');
    const csvOnly = await nasCtl('export', run, '--trials-csv', '-');
    expect(csvOnly.code, csvOnly.stderr).toBe(0);
    const args = ['export', run, '--top', '1', '--out', out, '--weights', '--trials-csv', '-'];
    const result = await nasCtl(...args, ...TEST_BACKEND_FLAG);
    expect(result.code, result.stderr).toBe(0);
    // With the CSV on stdout, the retraining's progress goes to stderr: stdout is the CSV alone.
    expect(result.stdout).toBe(csvOnly.stdout);
    expect(result.stderr).toMatch(/epoch 1\/1/);
    const summary = Summary.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')));
    const [best] = summary.genotypes;
    if (best === undefined) throw new Error('no genotype exported');
    expect(result.stderr).toContain(`training trial ${best.trialId} again`);
    const model = join(out, best.file.replace(/\.json$/, ''));
    const metrics = Metrics.parse(JSON.parse(await readFile(join(model, 'metrics.json'), 'utf8')));
    expect(metrics.request.genotype).toEqual(
      JSON.parse(await readFile(join(out, best.file), 'utf8')),
    );
    expect(metrics.request.dataset).toBe(`${DATASET},seed=0`);
    expect(metrics.request.training).toMatchObject({ seed: 5, epochs: 1 });
    const evaluated = await nasCtl(
      'evaluate',
      '--model',
      model,
      '--dataset',
      DATASET,
      '--json',
      ...TEST_BACKEND_FLAG,
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(Evaluation.parse(JSON.parse(evaluated.stdout)).count).toBe(16);
  });

  it('refuses --weights without --out', async () => {
    const result = await nasCtl('export', tinyRun(), '--trials-csv', '-', '--weights');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('export --weights needs --out <dir>');
  });
});
