/**
 * `nas-ctl search` settings from the command line, as a user types them: every strategy option is a
 * flag or a `--strategy-config` file, and a bad value (a dataset typo included) is rejected with
 * its path before any trainer is contacted or any run directory is written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cellsearch-settings-'));
});

/** `nas-ctl search` against a trainer address nobody listens on: only settings errors can end it early. */
async function search(...args: string[]): Promise<{ code: number; stderr: string; dir: string }> {
  const dir = join(root, `run-${Math.random().toString(36).slice(2)}`);
  const out = await nasCtl('search', '--trainers', '127.0.0.1:1', '--run-dir', dir, ...args);
  return { code: out.code, stderr: out.stderr, dir };
}

describe('nas-ctl search settings', () => {
  it('rejects a dataset typo before any trial is sent, naming the kinds', async () => {
    const { code, stderr, dir } = await search('--dataset', 'cifar1O:/data/cifar');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/dataset/);
    expect(stderr).toMatch(/unknown dataset kind "cifar1O" \(did you mean "cifar10"\?\)/);
    expect(stderr).not.toMatch(/127\.0\.0\.1:1/);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports a bad strategy option flag with its path and the allowed range', async () => {
    const { code, stderr, dir } = await search('--strategy', 'evolution', '--population', '0');
    expect(code).not.toBe(0);
    expect(stderr).toContain('strategy.population: expected a positive integer');
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses an option of another strategy, and a file naming another strategy', async () => {
    const other = await search('--strategy', 'rl', '--population', '10');
    expect(other.stderr).toContain('--population is an option of --strategy evolution');
    const file = join(root, 'evolution.yaml');
    await writeFile(file, 'name: evolution\npopulation: 10\n');
    const clash = await search('--strategy', 'rl', '--strategy-config', file);
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('--strategy rl disagrees with name "evolution"');
  });

  it('checks a YAML or JSON strategy file with the same schema, every problem with the file and its path', async () => {
    const yaml = join(root, 'bad.yaml');
    await writeFile(yaml, 'population: 10\nsampel: 3\nidentityProbability: 2\n');
    const fromYaml = await search('--strategy', 'evolution', '--strategy-config', yaml);
    expect(fromYaml.code).not.toBe(0);
    expect(fromYaml.stderr).toContain(
      `invalid strategy options in --strategy-config ${yaml} (2 problems):`,
    );
    expect(fromYaml.stderr).toContain(
      '  - sampel: unexpected field "sampel" (did you mean "sample"?)',
    );
    expect(fromYaml.stderr).toContain('  - identityProbability: expected a number in 0..1');
    // A bad flag over a good file is the command line's, with its path in the settings.
    const good = join(root, 'good.yaml');
    await writeFile(good, 'population: 10\n');
    const flag = await search(
      '--strategy-config',
      good,
      '--strategy',
      'evolution',
      '--sample',
      '0',
    );
    expect(flag.stderr).toContain('strategy.sample: expected a positive integer');
    const json = join(root, 'bad.json');
    await writeFile(json, '{"population": 10,');
    const broken = await search('--strategy', 'evolution', '--strategy-config', json);
    expect(broken.stderr).toMatch(/--strategy-config .*bad\.json: not valid JSON or YAML/);
    const missing = await search('--strategy-config', join(root, 'none.yaml'));
    expect(missing.stderr).toMatch(/--strategy-config .*none\.yaml: no such file/);
    // A named pipe would block the read forever: only regular files are read.
    const fifo = join(root, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const piped = await search('--strategy', 'evolution', '--strategy-config', fifo);
    expect(piped.code).toBe(1);
    expect(piped.stderr).toMatch(
      /--strategy-config .*fifo\.yaml: is a FIFO \(named pipe\), not a regular file/,
    );
  });

  it('reports --max-attempts and --snapshot-every through the same schema', async () => {
    const { stderr } = await search('--max-attempts', 'many', '--snapshot-every', '0');
    expect(stderr).toContain('maxAttempts: expected a positive integer');
    expect(stderr).toContain('got string "many"');
    expect(stderr).toContain('snapshotEvery: expected a positive integer');
  });

  it('refuses settings flags with --resume instead of ignoring them', async () => {
    const out = await nasCtl(
      'search',
      '--resume',
      join(root, 'some-run'),
      '--population',
      '4',
      '--epochs',
      '3',
    );
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(
      "--resume continues with the run's stored settings; drop --epochs, --population",
    );
  });

  it('reports the budget and reward flags with the schema paths', async () => {
    const { stderr } = await search('--trials', '0', '--reward-epochs', 'x');
    expect(stderr).toContain('maxTrials: expected a positive integer');
    expect(stderr).toContain('rewardEpochs: expected a positive integer');
  });

  it('lists every strategy option in --help with its default', async () => {
    const { stdout } = await nasCtl('search', '--help');
    for (const flag of [
      '--population',
      '--sample',
      '--lstm-units',
      '--rl-learning-rate',
      '--clip',
      '--neighbours',
      '--mutation-rate',
    ]) {
      expect(stdout).toContain(flag);
    }
    // An option two strategies share is one flag, naming both.
    expect(stdout).toMatch(
      /--entropy-weight <value>\s+rl\/hybrid: weight of the entropy bonus\s+\(default/,
    );
    expect(stdout).toMatch(/--population <value>\s+evolution\/hybrid: P: models kept alive/);
  });
});
