/**
 * Issue #11: `search --resume <run> --trials N` extends the run's budget (stored with the run and
 * shown by `status`) instead of stopping at the old one, and refuses a budget below the trials the
 * run holds before any trainer starts. A real run store finished by the real search loop, real
 * nas-ctl processes and (for the extension) a real local trainer.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStrategy, defaultStrategyConfig } from '../../controller/strategies/strategy.ts';
import { createRunStore, openRunStore } from '../../controller/store/index.ts';
import { formatPercent } from '../../shared/percent.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { encodeSearchSettings, parseSearchSettings } from '../../shared/search-settings.ts';
import { driveToEnd, loopOver } from '../fixtures/finished-run.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';

/** A random search of `trials` trials on a tiny dataset, finished (fabricated results), budget `trials`. */
function finishedTinyRun(trials: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-budget-')), 'run');
  const settings = parseSearchSettings(
    {
      strategy: defaultStrategyConfig('random', 3),
      maxTrials: trials,
      dataset: 'synthetic:classes=2,size=8,train=32,test=8',
      network: { cells: 1, filters: 24, skeleton: 'cifar', auxHead: false },
      training: { epochs: 1, stepsPerEpoch: 1, batchSize: 8, validationSize: 8 },
      rewardEpochs: 1,
      reuseDuplicates: true,
    },
    'the test',
  );
  const config = { strategy: 'random', seed: 3, space: DEFAULT_SPACE };
  const store = createRunStore(dir, { ...config, settings: encodeSearchSettings(settings) });
  try {
    driveToEnd(loopOver(store, createStrategy(settings.strategy, DEFAULT_SPACE), trials));
  } finally {
    store.close();
  }
  return dir;
}

function storedMaxTrials(dir: string): unknown {
  const store = openRunStore(dir, { readonly: true });
  try {
    return store.config().settings['maxTrials'];
  } finally {
    store.close();
  }
}

describe('nas-ctl search --resume --trials', () => {
  it('refuses a budget below the trials the run holds, naming --trials, and keeps the old one', async () => {
    const dir = finishedTinyRun(3);
    // An unreachable trainer: the refusal must come before any trainer is contacted.
    const out = await nasCtl(
      'search',
      '--resume',
      dir,
      '--trials',
      '2',
      '--trainers',
      '127.0.0.1:1',
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      `--trials: 2 is fewer than the 3 trials run ${dir} already holds (3 finished, 0 interrupted); allowed: 3 or more`,
    );
    expect(storedMaxTrials(dir)).toBe(3);
  });

  it('refuses a budget the settings schema refuses, naming --trials', async () => {
    const out = await nasCtl('search', '--resume', finishedTinyRun(2), '--trials', 'many');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/--trials[\s\S]*maxTrials/);
  });
});

const testBackend = await loadTestBackend(TEST_BACKEND, false);

describe.skipIf(testBackend === null)('nas-ctl search --resume --trials (real trainer)', () => {
  it('extends the run to the new budget, stores it, and status shows it', async () => {
    const dir = finishedTinyRun(2);
    const local = ['--local-trainers', '1', ...TEST_BACKEND_FLAG];
    const out = await nasCtl('search', '--resume', dir, '--trials', '3', ...local);
    expect(out.stderr).toContain(`nas-ctl: run ${dir} now stops after 3 trials\n`);
    expect(out.code).toBe(0);
    expect(storedMaxTrials(dir)).toBe(3);
    const status = await nasCtl('status', dir);
    expect(status.stdout).toMatch(/^trials {4}3: /m);
    expect(status.stdout).toContain('budget    3 trials: 3 finished, 0 to go');
    // One unit: the search's last line and status show the best reward the same way.
    const json = JSON.parse((await nasCtl('status', dir, '--json')).stdout) as {
      best: { reward: number; trialId: number };
    };
    expect(out.stdout).toContain(`reward ${formatPercent(json.best.reward)}`);
    expect(status.stdout).toContain(`best      ${formatPercent(json.best.reward)}`);
  }, 120_000);
});
