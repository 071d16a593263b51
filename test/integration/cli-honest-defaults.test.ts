/**
 * Issue #11: help states the defaults a command really uses, and a default that cannot work on the
 * chosen dataset is adapted before any process starts. Real nas-ctl processes; the expected values
 * come from the code (SEARCH_TRAINING, DEFAULT_TRAINING), never copied.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kebab } from '../../controller/cli/flag-values.ts';
import { DEFAULT_TRIALS, rewardEpochsFor } from '../../controller/cli/search-flags.ts';
import { SEARCH_TRAINING } from '../../controller/cli/search-plan.ts';
import {
  DEFAULT_TRAINING,
  TRAINING_FIELDS,
  type TrainingSettings,
} from '../../shared/training-settings.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { loadTestBackend, TEST_BACKEND, TEST_BACKEND_FLAG } from '../fixtures/test-backend.ts';

/** The help of `command` with its wrapping undone: one space between words. */
async function help(command: string): Promise<string> {
  const out = await nasCtl(command, '--help');
  expect(out.code).toBe(0);
  return out.stdout.replace(/\s+/g, ' ');
}

/** The `(default X` the help states for `--flag <value>`. */
function shownDefault(text: string, flag: string): string | undefined {
  const at = text.indexOf(`${flag} <`);
  const next = text.indexOf(' --', at + flag.length);
  return /\(default:? ([^;)]+)/.exec(text.slice(at, next === -1 ? undefined : next))?.[1];
}

function numericDefaults(defaults: TrainingSettings): [string, string][] {
  const values = new Map(Object.entries(defaults));
  return TRAINING_FIELDS.filter((f) => f.kind === 'number').map((f) => [
    `--${kebab(f.key)}`,
    String(values.get(f.key)),
  ]);
}

describe('help shows the defaults each command uses', () => {
  it('search: the short training of a search, its trials and reward epochs', async () => {
    const text = await help('search');
    for (const [flag, value] of numericDefaults(SEARCH_TRAINING))
      expect([flag, shownDefault(text, flag)]).toEqual([flag, value]);
    expect(shownDefault(text, '--trials')).toBe(String(DEFAULT_TRIALS));
    const reward = rewardEpochsFor(SEARCH_TRAINING.epochs);
    expect(text).toContain(`${reward} with the default --epochs ${SEARCH_TRAINING.epochs}`);
  });

  it('train: the settings schema defaults', async () => {
    const text = await help('train');
    for (const [flag, value] of numericDefaults(DEFAULT_TRAINING))
      expect([flag, shownDefault(text, flag)]).toEqual([flag, value]);
  });
});

const SMALL = 'synthetic:classes=2,size=8,train=40,test=8';
const testBackend = await loadTestBackend(TEST_BACKEND, false);

describe.skipIf(testBackend === null)(
  'nas-ctl train on a dataset its default split does not fit',
  () => {
    it('holds out a tenth of the training split and says so in one line', async () => {
      expect(DEFAULT_TRAINING.validationSize).toBeGreaterThanOrEqual(40);
      const out = join(await mkdtemp(join(tmpdir(), 'cellsearch-defaults-')), 'model');
      const tiny = [
        '--genotype',
        'nasnet-a',
        '--dataset',
        SMALL,
        '--size',
        '1@24',
        '--epochs',
        '1',
      ];
      const args = [...tiny, '--steps-per-epoch', '1', '--batch-size', '8', '--out', out];
      const result = await nasCtl('train', ...args, ...TEST_BACKEND_FLAG);
      expect(result.stderr).toContain(
        `nas-ctl: --validation-size not given: its default ${DEFAULT_TRAINING.validationSize} is more than a tenth of the 40 training examples in ${SMALL},seed=0, so 4 (a tenth) are held out for validation\n`,
      );
      expect(result.code).toBe(0);
      const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as unknown;
      expect(JSON.stringify(metrics)).toContain('"validationSize":4');
    });
  },
);

describe('an explicit impossible --validation-size is still refused, naming the flag', () => {
  it.each(['train', 'search'])('%s', async (command) => {
    const genotype = command === 'train' ? ['--genotype', 'nasnet-a'] : [];
    const result = await nasCtl(
      command,
      ...genotype,
      '--dataset',
      SMALL,
      '--validation-size',
      '40',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--validation-size: 40 leaves no training example of the 40/);
  });
});
