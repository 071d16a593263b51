/**
 * `nas-ctl search --config <file>` (issue #24): every search flag as a key of one YAML or JSON
 * file, checked against the flags' own definitions, with flags given on the command line winning.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { createProgram } from '../../controller/cli/program.ts';
import { configKeys } from '../../controller/cli/search-config-keys.ts';
import { InvalidValueError } from '../../shared/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'cellsearch-search-config-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** nas-ctl's search command after parsing `args`, with its action replaced by a no-op. */
async function parsedSearch(args: string[]): Promise<Command> {
  const program = createProgram();
  const search = searchOf(program);
  search.action(() => undefined);
  await program.parseAsync(['search', ...args], { from: 'user' });
  return search;
}

function searchOf(program: Command): Command {
  const search = program.commands.find((c) => c.name() === 'search');
  if (search === undefined) throw new Error('nas-ctl has no search command');
  return search;
}

/** The message of what parsing `args` throws. */
async function refusal(args: string[]): Promise<string> {
  const err: unknown = await parsedSearch(args).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error(`search ${args.join(' ')} was not refused`);
  return err.message;
}

const YAML = `# a small evolution search
strategy:
  name: evolution
  population: 8
trials: 3
dataset: synthetic:classes=2,size=8,train=40,test=0
epochs: 2
stepsPerEpoch: 5
batchSize: 4
augmentFlip: true
time: 30m
progress: lines
`;

describe('search --config', () => {
  it('sets the options the file holds, each with source "config"', async () => {
    const search = await parsedSearch(['--config', file('a.yaml', YAML)]);
    const opts = search.opts();
    expect(opts).toMatchObject({
      strategy: 'evolution',
      population: 8,
      trials: 3,
      epochs: 2,
      stepsPerEpoch: 5,
      batchSize: 4,
      augmentFlip: true,
      time: { text: '30m', ms: 1_800_000 },
      progress: 'lines',
    });
    expect(search.getOptionValueSource('epochs')).toBe('config');
    expect(search.getOptionValueSource('strategy')).toBe('config');
  });

  it('lets flags given on the command line override the file, and only those', async () => {
    const path = file('b.yaml', YAML);
    const search = await parsedSearch(['--config', path, '--batch-size', '16', '--trials', '9']);
    expect(search.opts()).toMatchObject({ batchSize: 16, trials: 9, epochs: 2 });
    expect(search.getOptionValueSource('batchSize')).toBe('cli');
    // A flag before --config is the command line's as much as one after it.
    const before = await parsedSearch(['--epochs', '7', '--config', path]);
    expect(before.opts()).toMatchObject({ epochs: 7, stepsPerEpoch: 5 });
  });

  it('reads JSON, and maps a nested strategy option to its flag (rl learningRate)', async () => {
    const json = JSON.stringify({ strategy: { name: 'rl', learningRate: 0.01 }, epochs: 1 });
    const search = await parsedSearch(['--config', file('c.json', json)]);
    expect(search.opts()).toMatchObject({ strategy: 'rl', rlLearningRate: 0.01, epochs: 1 });
  });

  it('has a key for every search flag (derived from the command, no second list)', () => {
    const search = searchOf(createProgram());
    const keys = configKeys(search);
    const flags = search.options
      .map((o) => o.attributeName())
      .filter((a) => !['config', 'resume'].includes(a));
    for (const attribute of flags) expect(keys.has(attribute), attribute).toBe(true);
  });

  it("gives every switch and every choice the meaning its flag's text has", async () => {
    const search = searchOf(createProgram());
    for (const option of search.options) {
      const attribute = option.attributeName();
      if (option.long === undefined || attribute === 'config' || option.optional) continue;
      const cases: [string[], unknown][] = option.required
        ? (option.argChoices ?? []).map((c) => [[option.long ?? '', c], c])
        : [[[option.long], !option.negate]];
      for (const [args, value] of cases) {
        const path = file(`${attribute}.json`, JSON.stringify({ [attribute]: value }));
        const byFlag = (await parsedSearch(args)).opts();
        const byFile = (await parsedSearch(['--config', path])).opts();
        expect([args, byFile[attribute]]).toEqual([args, byFlag[attribute]]);
      }
    }
  });

  it('lists every bad key with its path: unknown (with a suggestion), wrong type, bad value', async () => {
    const path = file(
      'bad.yaml',
      [
        'epochz: 2',
        'steps-per-epoch: 3',
        'batchSize: many',
        'progress: loud',
        'time: 5 minutes',
        'json: "yes"',
        'strategy: {name: evolution, population: 0, lstmUnits: 9}',
      ].join('\n'),
    );
    const err: unknown = await parsedSearch(['--config', path]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidValueError);
    const message = err instanceof Error ? err.message : '';
    expect(message).toContain(`invalid search config ${path} (8 problems)`);
    expect(message).toContain('- epochz: unknown key (did you mean "epochs"?)');
    expect(message).toContain('did you mean "stepsPerEpoch"? keys are camelCase');
    expect(message).toMatch(/- batchSize: expected an integer .*got string "many"/);
    expect(message).toMatch(
      /- progress: expected one of auto, tty, lines, none, got string "loud"/,
    );
    expect(message).toContain('- time: expected a duration such as 90s');
    expect(message).toContain('- json: expected true or false, got string "yes"');
    expect(message).toMatch(/- strategy\.population: expected a positive integer/);
    expect(message).toMatch(/- strategy\.lstmUnits: unknown key; allowed with strategy evolution/);
  });

  it('refuses a file that is not an object, or not YAML, naming it', async () => {
    const list = file('list.yaml', '- 1\n- 2\n');
    expect(await refusal(['--config', list])).toBe(
      `--config ${list}: expected an object of search options, got a list of length 2`,
    );
    const broken = file('broken.json', '{"epochs": 1');
    expect(await refusal(['--config', broken])).toMatch(/^--config .*: not valid YAML or JSON/);
  });

  it('with --resume: takes the run-control keys, refuses settings (the run keeps its own)', async () => {
    const control = file('control.yaml', 'trials: 40\nprogress: none\nmetricsPort: 0\n');
    const search = await parsedSearch(['--resume', 'runs/x', '--config', control]);
    expect(search.opts()).toMatchObject({ trials: 40, progress: 'none', metricsPort: '0' });
    const settings = file('settings.yaml', 'trials: 40\nepochs: 3\nstrategy: random\n');
    expect(await refusal(['--resume', 'runs/x', '--config', settings])).toBe(
      `--resume continues with the run's stored settings; drop epochs, strategy from --config ${settings}, or resume without it (nas-ctl status runs/x shows them)`,
    );
  });
});
