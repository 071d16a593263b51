/**
 * fast-check arbitraries for what a trainer answers: a believable result for a request (every
 * number in its range, sizes the controller's own count), and one corruption of it in exactly one
 * field — NaN, ±Infinity, out of range, a wrong epoch number or count, a wrong size — with the field
 * the controller's check must name.
 */
import fc from 'fast-check';
import { expectedSize } from '../../controller/search/result-check.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import type { Genotype } from '../../shared/genotype.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import type { EpochMetrics, Latency, TrialRequest, TrialResult } from '../../shared/trial.ts';
import { genotypeArb } from './genotype.ts';

/** Epochs a request asks for in these arbitraries (few, so wrong counts are quick to make). */
export const REQUESTED_EPOCHS = 3;

/** A request for a small CIFAR network on the synthetic dataset, with {@link REQUESTED_EPOCHS}. */
export function smallRequest(genotype: Genotype): TrialRequest {
  return {
    genotype,
    network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
    training: { ...DEFAULT_TRAINING, epochs: REQUESTED_EPOCHS },
    dataset: parseDatasetSpec('synthetic'),
  };
}

/** {@link smallRequest} of any valid genotype. */
export const requestArb: fc.Arbitrary<TrialRequest> = genotypeArb().map(smallRequest);

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const nonNegative = fc.double({ min: 0, max: 1e6, noNaN: true });

/** Metrics of epoch `epoch` with every number in range. */
function epochArb(epoch: number): fc.Arbitrary<EpochMetrics> {
  return fc.record({
    epoch: fc.constant(epoch),
    trainLoss: nonNegative,
    trainAccuracy: fraction,
    validationLoss: nonNegative,
    validationAccuracy: fraction,
    learningRate: nonNegative,
    seconds: nonNegative,
    imagesPerSecond: nonNegative,
  });
}

const latencyArb: fc.Arbitrary<Latency> = fc.record({
  batch1Ms: nonNegative,
  batchMs: nonNegative,
  batchSize: fc.integer({ min: 1, max: 512 }),
});

/** A request and a believable succeeded result for it (1 to {@link REQUESTED_EPOCHS} epochs). */
export const answeredArb: fc.Arbitrary<{ request: TrialRequest; result: TrialResult }> = fc
  .tuple(requestArb, fc.integer({ min: 1, max: REQUESTED_EPOCHS }))
  .chain(([request, count]) =>
    fc
      .record({
        epochs: fc.tuple(...Array.from({ length: count }, (_, i) => epochArb(i + 1))),
        testAccuracy: fc.option(fraction),
        latency: fc.option(latencyArb),
        seconds: nonNegative,
      })
      .map((parts) => {
        const size = expectedSize(request);
        if (size === null) throw new Error('the arbitrary request must have a known size');
        const result: TrialResult = {
          status: 'succeeded',
          reason: '',
          backend: 'fake',
          device: 'none',
          ...size,
          ...parts,
        };
        return { request, result };
      }),
  );

/** One field made wrong: the result with it, and the field the check must name. */
export interface CorruptedResult {
  readonly request: TrialRequest;
  readonly result: TrialResult;
  /** The field as the failure reason names it: `epochs[1].validationAccuracy`, `params`, ... */
  readonly field: string;
  /** The index of the corrupted epoch, or null when the corruption is outside the epochs. */
  readonly epochIndex: number | null;
}

const FRACTION_FIELDS = ['trainAccuracy', 'validationAccuracy'] as const;
const NON_NEGATIVE_FIELDS = [
  'trainLoss',
  'validationLoss',
  'learningRate',
  'seconds',
  'imagesPerSecond',
] as const;
const NOT_FINITE = [NaN, Infinity, -Infinity];
const badFraction = fc.constantFrom(...NOT_FINITE, -0.01, 1.01, 5, -5);
const badNonNegative = fc.constantFrom(...NOT_FINITE, -1, -1e-9);

/** Replaces epoch `index`'s `field` with `value`. */
function withEpochField(
  result: TrialResult,
  index: number,
  field: keyof EpochMetrics,
  value: number,
): TrialResult {
  const epochs = result.epochs.map((e, i) => (i === index ? { ...e, [field]: value } : e));
  return { ...result, epochs };
}

/** A believable result with exactly one field corrupted, and that field. */
export const corruptedArb: fc.Arbitrary<CorruptedResult> = answeredArb.chain(
  ({ request, result }) => {
    const index = fc.integer({ min: 0, max: result.epochs.length - 1 });
    const epochField = (
      fields: readonly (keyof EpochMetrics)[],
      values: fc.Arbitrary<number>,
    ): fc.Arbitrary<CorruptedResult> =>
      fc.tuple(index, fc.constantFrom(...fields), values).map(([i, field, value]) => ({
        request,
        result: withEpochField(result, i, field, value),
        field: `epochs[${i}].${field}`,
        epochIndex: i,
      }));
    const epochNumber = fc
      // Each offset moves the number off i + 1 (0 stands for the number 0 itself).
      .tuple(index, fc.constantFrom(0, -1, 2, 7, 1.5, NaN))
      .map(([i, offset]) => ({
        request,
        result: withEpochField(result, i, 'epoch', offset === 0 ? 0 : i + 1 + offset),
        field: `epochs[${i}].epoch`,
        epochIndex: i,
      }));
    // More epochs than the request asked for, each numbered and in range: only the count is wrong.
    const last = result.epochs.at(-1);
    if (last === undefined) throw new Error('a believable result has an epoch');
    const extra = Array.from({ length: REQUESTED_EPOCHS + 1 - result.epochs.length }, (_, k) => ({
      ...last,
      epoch: result.epochs.length + k + 1,
    }));
    const tooMany: CorruptedResult = {
      request,
      result: { ...result, epochs: [...result.epochs, ...extra] },
      field: 'epochs',
      epochIndex: REQUESTED_EPOCHS,
    };
    const top = fc
      .oneof(
        fc.tuple(fc.constant('testAccuracy' as const), badFraction),
        fc.tuple(fc.constant('seconds' as const), badNonNegative),
      )
      .map(([field, value]) => ({
        request,
        result: { ...result, [field]: value },
        field,
        epochIndex: null,
      }));
    const size = fc
      .tuple(
        fc.constantFrom('params', 'bnStatistics', 'multAdds'),
        fc.constantFrom(1, -1, NaN, Infinity, 0.5),
      )
      .map(([field, change]) => {
        const honest = result[field];
        const value = change === 1 || change === -1 ? honest + change : change;
        return { request, result: { ...result, [field]: value }, field, epochIndex: null };
      });
    const latency = fc
      .tuple(
        latencyArb,
        fc.oneof(
          fc.tuple(fc.constantFrom('batch1Ms' as const, 'batchMs' as const), badNonNegative),
          fc.tuple(fc.constant('batchSize' as const), fc.constantFrom(0, -1, 1.5, NaN)),
        ),
      )
      .map(([l, [field, value]]) => ({
        request,
        result: { ...result, latency: { ...l, [field]: value } },
        field: `latency.${field}`,
        epochIndex: null,
      }));
    return fc.oneof(
      epochField(FRACTION_FIELDS, badFraction),
      epochField(NON_NEGATIVE_FIELDS, badNonNegative),
      epochNumber,
      fc.constant(tooMany),
      top,
      size,
      latency,
    );
  },
);
