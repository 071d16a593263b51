// @module-tag native (npm run test:native runs this file again on the tensorflow backend)
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import {
  loadTestBackend,
  TEST_BACKEND,
  TEST_BACKEND_FLAG,
  TEST_TFJS_BACKEND,
} from '../fixtures/test-backend.ts';

const TINY = [
  '--genotype',
  'nasnet-a',
  '--dataset',
  'synthetic:classes=4,size=16,train=256,test=64',
  '--cells',
  '1',
  '--filters',
  '48',
  '--batch-size',
  '16',
  '--validation-size',
  '64',
  '--steps-per-epoch',
  '3',
  ...TEST_BACKEND_FLAG,
];

const testBackend = await loadTestBackend(TEST_BACKEND, false);

describe.skipIf(testBackend === null)(`nas-ctl train on ${TEST_BACKEND}`, () => {
  it('trains in a trainer process, prints each epoch and saves the model and metrics', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'cellsearch-train-')), 'model');
    const result = await nasCtl('train', ...TINY, '--epochs', '2', '--out', out);
    expect(withoutTensorflowNotes(result.stderr)).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`training on ${TEST_TFJS_BACKEND}`);
    expect(result.stdout).toMatch(/epoch 1\/2 .*val loss/);
    expect(result.stdout).toMatch(/epoch 2\/2 /);
    expect(result.stdout).toMatch(/best validation accuracy/);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
    expect(existsSync(join(out, 'weights.bin'))).toBe(true);
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as {
      result: { status: string; epochs: unknown[] };
    };
    expect(metrics.result.status).toBe('succeeded');
    expect(metrics.result.epochs).toHaveLength(2);
  });

  it('streams JSON events with --json', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'cellsearch-train-')), 'model');
    const result = await nasCtl('train', ...TINY, '--epochs', '1', '--out', out, '--json');
    expect(result.code).toBe(0);
    const types = result.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types[0]).toBe('started');
    expect(types).toContain('epoch');
    // The trainer's result, then the command's summary (the last line of every --json run).
    expect(types.slice(-2)).toEqual(['result', 'summary']);
  });

  it('names a bad training setting and trains nothing', async () => {
    const result = await nasCtl('train', ...TINY, '--epochs', '0', '--learning-rate', 'fast');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('training.epochs');
    expect(result.stderr).toContain('training.learningRate');
    expect(result.stderr).toContain('"fast"');
  });

  it('names a dataset it cannot read', async () => {
    const result = await nasCtl(
      'train',
      ...TINY,
      '--dataset',
      'cifar10:/nonexistent/cifar-10-batches-bin',
      '--epochs',
      '1',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/nonexistent/cifar-10-batches-bin');
  });
});

/**
 * stderr without TensorFlow's own start-up notes: with oneDNN on, TensorFlow logs an INFO line
 * ("... floating-point round-off errors ...") that no TF_CPP_MIN_LOG_LEVEL silences.
 */
function withoutTensorflowNotes(stderr: string): string {
  const note = /^(WARNING: All log messages before absl::InitializeLog|I\d{4} )/;
  return stderr
    .split('\n')
    .filter((line) => !note.test(line))
    .join('\n');
}
