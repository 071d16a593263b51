import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { createRunStore } from '../../controller/store/index.ts';
import { candidate, fabricatedResult, testConfig } from '../fixtures/run-store-fixtures.ts';

/** A run of `strategy` whose stored training settings are `training`, with a few succeeded trials. */
function populate(dir: string, strategy: string, training: Record<string, unknown>): void {
  const config = testConfig(strategy, 3);
  const stored = config.settings['training'];
  const defaults = typeof stored === 'object' && stored !== null ? stored : {};
  const settings = { ...config.settings, training: { ...defaults, ...training } };
  const store = createRunStore(dir, { ...config, settings });
  [0.4, 0.5, 0.45].forEach((reward, i) => {
    const id = store.trialQueued(candidate(i + 1));
    store.trialStarted(id, '10.0.0.1:50051');
    store.trialFinished(id, {
      status: 'succeeded',
      reward,
      reason: '',
      result: fabricatedResult(reward, 1000),
    });
  });
  store.close();
}

let root = '';
let long = '';
let short = '';
let sameAsLong = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-compare-'));
  long = join(root, 'long');
  short = join(root, 'short');
  sameAsLong = join(root, 'same');
  populate(long, 'rl', { epochs: 2, stepsPerEpoch: 30 });
  populate(short, 'random', { epochs: 1, stepsPerEpoch: 5 });
  // Only the training seed differs: noise, not another scale.
  populate(sameAsLong, 'random', { epochs: 2, stepsPerEpoch: 30, seed: 9 });
});

describe('nas-ctl compare on runs with different settings', () => {
  it('refuses them, naming each differing setting and every run’s value', async () => {
    const svg = join(root, 'refused.svg');
    const out = await nasCtl('compare', long, short, '--out', svg);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    const lines = out.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'error: the runs were searched with different settings, so their rewards are not comparable:',
    );
    expect(lines[1]).toMatch(/^setting\s+long \(rl\)\s+short \(random\)$/);
    expect(lines).toContainEqual(expect.stringMatching(/^training\.epochs\s+2\s+1$/));
    expect(lines).toContainEqual(expect.stringMatching(/^training\.stepsPerEpoch\s+30\s+5$/));
    expect(lines.at(-1)).toContain('--allow-different-settings');
    await expect(readFile(svg, 'utf8')).rejects.toThrow();
  });

  it('plots them with --allow-different-settings, warning and naming the values in the legend', async () => {
    const svg = join(root, 'allowed.svg');
    const out = await nasCtl('compare', long, short, '--out', svg, '--allow-different-settings');
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/^nas-ctl: warning: the runs were searched with different settings/);
    expect(out.stderr).toMatch(/^training\.epochs\s+2\s+1$/m);
    const chart = await readFile(svg, 'utf8');
    expect(chart).toContain('long (rl) [training.epochs 2, training.stepsPerEpoch 30]');
    expect(chart).toContain('short (random) [training.epochs 1, training.stepsPerEpoch 5]');
  });

  it('compares runs that differ only in strategy and training seed without a word', async () => {
    const svg = join(root, 'same.svg');
    const out = await nasCtl('compare', long, sameAsLong, '--out', svg);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
  });
});
