import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultStrategyConfig } from '../../shared/strategy-config.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { createRunStore } from '../../controller/store/index.ts';
import { candidate, fabricatedResult, testConfig } from '../fixtures/run-store-fixtures.ts';

/** Rewards of the finished trials, in finish order; null is a failure. */
const RL_REWARDS = [0.5, null, 0.62, 0.61, 0.7, null, 0.74, 0.73, 0.81, 0.8];
const RANDOM_REWARDS = [0.55, 0.52, null, 0.6, 0.58, 0.59, 0.61, 0.6];

/** A run with `rewards` finished one per minute, then one running and one queued trial. */
function populate(dir: string, strategy: string, rewards: readonly (number | null)[]): void {
  let t = Date.UTC(2025, 0, 1);
  const store = createRunStore(dir, testConfig(strategy, 11), { now: () => (t += 30_000) });
  rewards.forEach((reward, i) => {
    const id = store.trialQueued(candidate(i + 1));
    store.trialStarted(id, `10.0.0.${i % 3}:50051`);
    if (reward === null) {
      store.trialFinished(id, {
        status: 'failed',
        reward: null,
        reason: `out of memory on trial ${id}`,
        result: null,
      });
    } else {
      const result = fabricatedResult(reward, 1_000_000 + i * 1000);
      store.trialFinished(id, { status: 'succeeded', reward, reason: '', result });
    }
  });
  store.trialStarted(store.trialQueued(candidate(100)), '10.0.0.9:50051');
  store.trialQueued(candidate(101));
  store.close();
}

let root = '';
let rlRun = '';
let randomRun = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-reports-'));
  rlRun = join(root, 'rl-run');
  randomRun = join(root, 'random-run');
  populate(rlRun, 'rl', RL_REWARDS);
  populate(randomRun, 'random', RANDOM_REWARDS);
});

describe('nas-ctl status', () => {
  it('summarises a run as text', async () => {
    const out = await nasCtl('status', rlRun);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('strategy  rl   seed 11');
    expect(out.stdout).toContain('12: 8 succeeded, 2 failed, 0 cancelled, 1 running, 1 queued');
    expect(out.stdout).toContain(`best      81.00%  (trial 9, hash ${candidate(9).hash})`);
    expect(out.stdout).toContain('budget    100 trials: 10 finished, 90 to go');
    expect(out.stdout).toContain('trial 6: out of memory on trial 6');
    // The stored settings: the strategy's options and the search's own.
    const { lstmUnits, learningRate } = defaultStrategyConfig('rl', 11);
    expect(out.stdout).toContain(
      `options   lstmUnits ${lstmUnits}, learningRate ${learningRate}, `,
    );
    expect(out.stdout).toMatch(/^search {4}maxTrials 100, maxAttempts 3, snapshotEvery 20, /m);
    expect(out.stdout).toContain(
      'dataset   synthetic:classes=10,size=32,train=5000,test=1000,seed=0',
    );
  });

  it('prints JSON with --json', async () => {
    const out = await nasCtl('status', rlRun, '--json');
    const status = JSON.parse(out.stdout) as {
      trials: Record<string, number>;
      best: { reward: number; hash: string };
      trialsPerMinute: number;
      recentFailures: { trialId: number }[];
    };
    expect(status.trials).toMatchObject({ succeeded: 8, failed: 2, total: 12, finished: 10 });
    expect(status.best).toEqual({ trialId: 9, reward: 0.81, hash: candidate(9).hash });
    // The clock ticks 30 s per timestamp: the run's creation, then queue, start and finish of
    // each trial. Ten trials finish between the first queueing (tick 2) and tick 31: 14.5 minutes.
    expect(status.trialsPerMinute).toBeCloseTo(10 / 14.5, 9);
    expect(status.recentFailures.map((f) => f.trialId)).toEqual([6, 2]);
  });
});

describe('nas-ctl best', () => {
  it('lists the top trials with their cells', async () => {
    const out = await nasCtl('best', rlRun, '--top', '3');
    expect(out.code).toBe(0);
    const table = out.stdout.split('\n\n')[0] ?? '';
    expect(
      table
        .split('\n')
        .slice(2)
        .map((l) => l.trim().split(/\s+/).slice(0, 3)),
    ).toEqual([
      ['1', '9', '81.00%'],
      ['2', '10', '80.00%'],
      ['3', '7', '74.00%'],
    ]);
    expect(out.stdout.match(/^normal cell$/gm)).toHaveLength(3);
    expect(out.stdout.match(/^reduction cell$/gm)).toHaveLength(3);
  });

  it('prints genotype JSON with metadata, and DOT', async () => {
    const json = await nasCtl('best', rlRun, '--top', '2', '--json');
    const report = JSON.parse(json.stdout) as {
      strategy: string;
      best: { rank: number; hash: string; genotype: unknown; params: number }[];
    };
    expect(report.strategy).toBe('rl');
    expect(report.best.map((b) => b.genotype)).toEqual([
      JSON.parse(JSON.stringify(candidate(9).genotype)),
      JSON.parse(JSON.stringify(candidate(10).genotype)),
    ]);
    expect(report.best[0]?.params).toBe(1_008_000);
    const dot = await nasCtl('best', rlRun, '--top', '2', '--dot');
    expect(dot.stdout.match(/^digraph "rank_0\d_[0-9a-f]{16}" \{$/gm)).toHaveLength(2);
  });
});

describe('nas-ctl export', () => {
  it('writes genotype files that genotype validate accepts, and a summary', async () => {
    const outDir = join(root, 'exported');
    const out = await nasCtl('export', rlRun, '--top', '3', '--out', outDir);
    expect(out.code).toBe(0);
    const files = (await readdir(outDir)).sort();
    const hashes = [9, 10, 7].map((i) => candidate(i).hash);
    expect(files).toEqual([...hashes.map((h, i) => `rank-0${i + 1}-${h}.json`), 'summary.json']);
    for (const [i, hash] of hashes.entries()) {
      const check = await nasCtl(
        'genotype',
        'validate',
        join(outDir, `rank-0${i + 1}-${hash}.json`),
      );
      expect(check.code).toBe(0);
      expect(check.stdout).toContain(`(hash ${hash})`);
    }
    const summary = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8')) as {
      strategy: string;
      space: string;
      genotypes: { rank: number; file: string; reward: number; trialId: number }[];
    };
    expect(summary).toMatchObject({ strategy: 'rl', space: 'default' });
    expect(summary.genotypes.map((g) => [g.rank, g.trialId, g.reward])).toEqual([
      [1, 9, 0.81],
      [2, 10, 0.8],
      [3, 7, 0.74],
    ]);
  });
});

describe('nas-ctl compare', () => {
  it('draws one best-so-far line per run into a well-formed SVG, and CSV', async () => {
    const svgFile = join(root, 'compare.svg');
    const csvFile = join(root, 'compare.csv');
    const out = await nasCtl(
      'compare',
      rlRun,
      randomRun,
      '--out',
      svgFile,
      '--title',
      'RL vs random <search> & co',
      '--csv',
      csvFile,
    );
    expect(out.code).toBe(0);
    const svg = await readFile(svgFile, 'utf8');
    expect(checkWellFormed(svg)).toEqual([]);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('rl-run (rl)');
    expect(svg).toContain('random-run (random)');
    expect(svg).toContain('RL vs random &lt;search&gt; &amp; co');
    const csv = (await readFile(csvFile, 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(1 + RL_REWARDS.length + RANDOM_REWARDS.length);
    expect(csv.at(-1)).toBe('random-run (random),8,0.6,0.61');
  });
});

describe('report commands on something that is not a run', () => {
  it.each([
    ['status', []],
    ['best', []],
    ['export', ['--out', '/tmp/never-written']],
    ['compare', ['--out', '/tmp/never-written.svg']],
  ])('%s prints one line and exits 1', async (command, flags) => {
    const missing = join(root, 'no-such-run');
    const out = await nasCtl(command, missing, ...flags);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      `error: ${missing} is not a cellsearch run directory: no such directory\n`,
    );
  });

  it('names a directory that holds no run', async () => {
    const out = await nasCtl('status', root);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      `error: ${root} is not a cellsearch run directory: no run.sqlite in it\n`,
    );
  });
});

/**
 * The well-formedness problems of an XML document (empty when there are none): one root element,
 * tags nested and closed, attributes quoted and unique, and only the predefined entities.
 */
function checkWellFormed(doc: string): string[] {
  const problems: string[] = [];
  const body = doc.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const entity = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  for (const token of body.split(/(<[^>]*>)/)) {
    if (!token.startsWith('<')) {
      if (entity.test(token)) problems.push(`bad entity in text: ${token}`);
      if (token.trim() !== '' && stack.length === 0) problems.push(`text outside root: ${token}`);
      continue;
    }
    const close = /^<\/([A-Za-z][\w:.-]*)\s*>$/.exec(token);
    if (close) {
      if (stack.pop() !== close[1]) problems.push(`mismatched ${token}`);
      continue;
    }
    const open = /^<([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>$/.exec(token);
    if (!open) {
      problems.push(`malformed tag ${token}`);
      continue;
    }
    const names = [...(open[2] ?? '').matchAll(/([\w:.-]+)="([^"]*)"/g)].map((m) => {
      if (entity.test(m[2] ?? '')) problems.push(`bad entity in attribute: ${token}`);
      return m[1];
    });
    if (new Set(names).size !== names.length) problems.push(`duplicate attribute in ${token}`);
    if (stack.length === 0) roots++;
    if (open[3] !== '/') stack.push(open[1] ?? '');
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
