/**
 * fast-check arbitraries of TrainRequests for the fuzz suite: valid ones (as domain values and as
 * bytes), and valid ones with a few fields replaced by what else protobuf can carry there.
 */
import fc from 'fast-check';
import { SKELETONS } from '../../shared/network-settings.ts';
import { parseTrainingSettings } from '../../shared/training-settings.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { trainRequestToWire } from '../../proto/codec.ts';
import { loadNasV1 } from '../../proto/load.ts';
import { datasetSpecArb } from '../arbitraries/dataset-spec.ts';
import { genotypeWithOutputsArb } from '../arbitraries/genotype.ts';
import { delimited, double, override, varint } from './wire-bytes.ts';

const { Train } = loadNasV1().TrainerService.service;

/** Valid trial requests: the codec's happy path, the seeds of every mutation below. */
export const validRequestArb: fc.Arbitrary<TrialRequest> = fc.record({
  genotype: genotypeWithOutputsArb(),
  network: fc.record({
    cells: fc.integer({ min: 1, max: 6 }),
    filters: fc.integer({ min: 1, max: 40 }).map((k) => 24 * k),
    skeleton: fc.constantFrom(...SKELETONS),
    auxHead: fc.boolean(),
  }),
  training: fc
    .record({
      epochs: fc.integer({ min: 1, max: 3 }),
      stepsPerEpoch: fc.integer({ min: 1, max: 3 }),
    })
    .map((t) => parseTrainingSettings(t)),
  dataset: datasetSpecArb,
});

/** Valid TrainRequest bytes. */
export const validRequestBytesArb: fc.Arbitrary<Buffer> = validRequestArb.map((r) =>
  Train.requestSerialize(trainRequestToWire(r, 'fuzz')),
);

/** Varints the wire may carry where a field wants a small count, an index or an enum. */
const wildVarintArb = fc.oneof(
  fc.bigInt({ min: -5n, max: 40n }),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }),
  fc.constantFrom(-1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 53n + 1n),
);

/** Doubles the wire may carry where a field wants a rate or a fraction. */
const wildDoubleArb = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, Number.MAX_VALUE, Number.MIN_VALUE),
);

/** Where a wild value goes (field numbers from trainer_service.proto, trial.proto, genotype.proto). */
const VARINT_PATHS = [
  [2, 1], // network.cells
  [2, 2], // network.filters
  [2, 3], // network.skeleton (enum)
  [3, 1], // training.epochs
  [3, 3], // training.batch_size
  [3, 14], // training.cutout
  [3, 16], // training.seed
  [1, 1, 2], // genotype.normal.output (repeated: one more entry)
  [1, 2, 1, 2], // genotype.reduction.blocks: one more block, with only op_a
];
const DOUBLE_PATHS = [
  [2, 5], // network.stem_multiplier
  [3, 4], // training.learning_rate
  [3, 10], // training.dropout
  [3, 11], // training.drop_path_keep
];
const TEXT_PATHS = [[4], [5], [1, 1, 1, 1]]; // dataset, trial_id, a block as text

/** One wild field, as bytes to append to a valid request. */
const wildFieldArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...VARINT_PATHS), wildVarintArb)
    .map(([path, v]) => override(path, 0, varint(v))),
  fc
    .tuple(fc.constantFrom(...DOUBLE_PATHS), wildDoubleArb)
    .map(([path, x]) => override(path, 1, double(x))),
  fc
    .tuple(fc.constantFrom(...TEXT_PATHS), fc.string({ maxLength: 300 }))
    .map(([path, text]) => override(path, 2, delimited(Buffer.from(text)))),
);

/** A valid request's bytes with one to three fields replaced by what else the wire can carry. */
export const wildRequestBytesArb: fc.Arbitrary<Buffer> = fc
  .tuple(validRequestBytesArb, fc.array(wildFieldArb, { minLength: 1, maxLength: 3 }))
  .map(([valid, wild]) => Buffer.concat([valid, ...wild]));
