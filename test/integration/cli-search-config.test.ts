/**
 * A real `nas-ctl search --config` run (issue #24): the run store keeps the effective settings
 * (the file's, with the flags given on the command line over them), and a bad file is one clear
 * error naming the file and its keys, with no stack trace.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRunStore } from '../../controller/store/index.ts';
import { parseSearchSettings } from '../../shared/search-settings.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';

const dir = mkdtempSync(join(tmpdir(), 'cellsearch-cli-search-config-'));

/** The fast search of fixtures/fast-search.ts, as a config file. */
const CONFIG = `strategy:
  name: evolution
  population: 4
  sample: 2
trials: 1
dataset: synthetic:classes=2,size=8,train=40,test=0
size: 1@24
epochs: 1
stepsPerEpoch: 2
batchSize: 4
validationSize: 4
backend: cpu
localTrainers: 1
progress: none
seed: 7
`;

describe('nas-ctl search --config', () => {
  it('runs the file, flags override it, and the run stores the effective settings', async () => {
    const config = join(dir, 'search.yaml');
    writeFileSync(config, CONFIG);
    const run = join(dir, 'run');
    const out = await nasCtl('search', '--config', config, '--run-dir', run, '--batch-size', '8');
    expect(out.stderr).not.toContain('error');
    expect(out.code).toBe(0);
    const store = openRunStore(run, { readonly: true });
    try {
      const settings = parseSearchSettings(store.config().settings, run);
      expect(settings.strategy).toMatchObject({ name: 'evolution', population: 4, seed: 7 });
      expect(settings.training).toMatchObject({ stepsPerEpoch: 2, batchSize: 8, seed: 7 });
      expect(settings.maxTrials).toBe(1);
    } finally {
      store.close();
    }
  });

  it('reports a bad file in one message with its keys, exit 1, no stack', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'epochz: 2\nbatchSize: many\n');
    const out = await nasCtl('search', '--config', config);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`error: invalid search config ${config} (2 problems):`);
    expect(out.stderr).toContain('- epochz: unknown key (did you mean "epochs"?)');
    expect(out.stderr).not.toMatch(/^\s+at /m);
  });
});
