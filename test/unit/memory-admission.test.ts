/**
 * The pieces of admission by cost without gRPC: byte sizes, the estimate's parts, the default
 * limit, the one refusal message, the controller's pool check and the --max-memory flag.
 */
import { describe, expect, it } from 'vitest';
import { formatBytes, parseByteSize } from '../../shared/byte-size.ts';
import { complexity } from '../../shared/complexity.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { estimateRequestMemory, planRequest } from '../../shared/memory-estimate.ts';
import { defaultMemoryLimit, WASM_DEFAULT_LIMIT_BYTES } from '../../runtime/memory-limit.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { refusalByEveryTrainer } from '../../controller/search/memory-admission.ts';
import { parseServeConfig } from '../../trainer/server/serve-config.ts';

const GiB = 2 ** 30;
const REQUEST: TrialRequest = {
  genotype: NASNET_A,
  network: { cells: 6, filters: 768, skeleton: 'cifar', auxHead: true },
  training: DEFAULT_TRAINING,
  dataset: parseDatasetSpec('cifar10:data'),
};

describe('byte sizes', () => {
  it('parses binary and decimal units and plain numbers, and refuses the rest', () => {
    expect(parseByteSize('8GiB')).toBe(8 * GiB);
    expect(parseByteSize('512 MiB')).toBe(512 * 2 ** 20);
    expect(parseByteSize('2e9')).toBe(2e9);
    expect(parseByteSize('1.5gb')).toBe(1.5e9);
    for (const bad of ['', 'lots', '8 GiBs', '-1', '0', '1e400'])
      expect(parseByteSize(bad)).toBe(null);
    expect(formatBytes(1.5 * GiB)).toBe('1.5 GiB');
    expect(formatBytes(12)).toBe('12 B');
  });
});

describe('the memory estimate', () => {
  it('counts weights, optimizer state and the dataset from published sizes', () => {
    const estimate = estimateRequestMemory(REQUEST);
    const size = complexity(NASNET_A, { ...REQUEST.network, imageSize: 32, classes: 10 });
    expect(estimate.parts.weights).toBe((size.params + size.bnStatistics) * 4);
    // CIFAR-10 as bytes: 50000 training images (twice: the validation split copies them) and 10000 test.
    expect(estimate.parts.dataset).toBe((2 * 50_000 + 10_000) * 32 * 32 * 3);
    expect(estimate.unknown).toBe('');
    expect(planRequest(REQUEST).settings.classes).toBe(10);
  });

  it('says what it cannot count for an image folder, and grows with the batch', () => {
    const folder = { ...REQUEST, dataset: parseDatasetSpec('folder:imgs,size=64') };
    expect(estimateRequestMemory(folder).unknown).toContain('unknown until it is read');
    const big = { ...REQUEST, training: { ...REQUEST.training, batchSize: 64 } };
    const activations = (r: TrialRequest): number => estimateRequestMemory(r).parts.activations;
    expect(activations(big)).toBeCloseTo(2 * activations(REQUEST));
  });
});

describe('the default limit', () => {
  it('takes 3/4 of the smaller of memory and cgroup, per slot, at most 0.7 of the wasm heap on wasm', () => {
    expect(defaultMemoryLimit('tensorflow', 1, { total: 64 * GiB, cgroup: null })).toBe(48 * GiB);
    expect(defaultMemoryLimit('cpu', 2, { total: 64 * GiB, cgroup: 16 * GiB })).toBe(6 * GiB);
    expect(defaultMemoryLimit('wasm', 1, { total: 64 * GiB, cgroup: null })).toBe(
      WASM_DEFAULT_LIMIT_BYTES,
    );
  });
});

describe("the controller's pool check", () => {
  const huge = { ...REQUEST, dataset: parseDatasetSpec('synthetic:size=512,train=1000000') };
  it('fails a trial that fits no trainer, naming the estimate and the largest limit', () => {
    const reason = refusalByEveryTrainer(huge, [8 * GiB, 16 * GiB]);
    expect(reason).toMatch(
      /^the trial needs about [\d.]+ TiB \(activations [\d.]+ TiB, dataset 1\.43 TiB/,
    );
    expect(reason).toContain('of 16 GiB');
  });

  it('lets through a trial that fits one trainer', () => {
    expect(refusalByEveryTrainer(REQUEST, [1, 64 * GiB])).toBe(null);
  });

  it('refuses nothing for a limit while no trainer is in the pool (every one left for now)', () => {
    expect(refusalByEveryTrainer(REQUEST, [])).toBe(null);
  });

  it('refuses arrays larger than JavaScript allows even without a limit', () => {
    expect(refusalByEveryTrainer(huge, [null])).toMatch(/one array of 7\.864e\+11 elements/);
  });
});

describe('--max-memory', () => {
  const flags = {
    host: '127.0.0.1',
    port: '0',
    backend: 'cpu',
    capacity: '1',
    logLevel: 'info',
  } as const;
  it('accepts sizes with units and names a bad one', () => {
    expect(parseServeConfig({ ...flags, maxMemory: '8GiB' }, {}).maxMemoryBytes).toBe(8 * GiB);
    expect(parseServeConfig(flags, {}).maxMemoryBytes).toBe(undefined);
    expect(() => parseServeConfig({ ...flags, maxMemory: 'lots' }, {})).toThrow(
      /--max-memory: expected a size such as 8GiB, 512MiB or 2e9 .*got "lots"/,
    );
  });
});
