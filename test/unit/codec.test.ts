import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidValueError } from '../../shared/errors.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { SKELETONS } from '../../shared/network-settings.ts';
import { OP_NAMES } from '../../shared/ops.ts';
import {
  parseTrainingSettings,
  TRAINING_FIELDS,
  type TrainingSettings,
} from '../../shared/training-settings.ts';
import type { EpochMetrics, TrialNetwork, TrialRequest, TrialResult } from '../../shared/trial.ts';
import {
  genotypeFromWire,
  genotypeToWire,
  opToWire,
  trainRequestFromWire,
  trainRequestToWire,
} from '../../proto/codec.ts';
import {
  trainerInfoFromWire,
  trainerInfoToWire,
  trialEventFromWire,
  trialEventToWire,
  type StreamedTrialEvent,
} from '../../proto/event-codec.ts';
import { Op } from '../../proto/gen/nas/v1/Op.ts';
import type { TrainRequest__Output } from '../../proto/gen/nas/v1/TrainRequest.ts';
import { loadNasV1, loadTrainerPackageDefinition } from '../../proto/load.ts';
import { PROTOCOL_VERSION, type TrainerInfo } from '../../proto/trainer-info.ts';
import { datasetSpecArb } from '../arbitraries/dataset-spec.ts';
import { genotypeArb, genotypeWithOutputsArb } from '../arbitraries/genotype.ts';

const { Train, GetInfo } = loadNasV1().TrainerService.service;

/** Through real protobuf bytes, with the loader's options: what a trainer receives. */
function overTheWire(request: TrialRequest): TrainRequest__Output {
  return Train.requestDeserialize(Train.requestSerialize(trainRequestToWire(request, 'trial-1')));
}

const trainingArb: fc.Arbitrary<TrainingSettings> = fc
  .record(
    Object.fromEntries(
      TRAINING_FIELDS.map((spec) => {
        const arb: fc.Arbitrary<unknown> =
          spec.kind === 'boolean'
            ? fc.boolean()
            : spec.kind === 'choice'
              ? fc.constantFrom(...(spec.values ?? []))
              : spec.integer === true
                ? fc.integer({ min: spec.min ?? 0, max: spec.max ?? 2 ** 31 - 1 })
                : fc.double({ min: spec.min ?? 0, max: spec.max ?? 1e9, noNaN: true });
        return [spec.key, arb];
      }),
    ),
  )
  .map((raw) => parseTrainingSettings(raw));

const networkArb: fc.Arbitrary<TrialNetwork> = fc
  .record({
    cells: fc.integer({ min: 1, max: 12 }),
    filters: fc.integer({ min: 1, max: 200 }).map((k) => 24 * k),
    skeleton: fc.constantFrom(...SKELETONS),
    auxHead: fc.boolean(),
    stemMultiplier: fc.option(fc.double({ min: 0.01, max: 8, noNaN: true }), { nil: undefined }),
  })
  .map(({ stemMultiplier, ...rest }) =>
    stemMultiplier === undefined ? rest : { ...rest, stemMultiplier },
  );

const requestArb: fc.Arbitrary<TrialRequest> = fc.record({
  genotype: genotypeWithOutputsArb(),
  network: networkArb,
  training: trainingArb,
  dataset: datasetSpecArb,
});

describe('trial request codec', () => {
  it('round-trips any valid request through protobuf bytes', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        expect(trainRequestFromWire(overTheWire(request))).toEqual(request);
      }),
    );
  });

  it('round-trips genotypes, with and without explicit output lists', () => {
    fc.assert(
      fc.property(fc.oneof(genotypeArb(), genotypeWithOutputsArb()), (genotype) => {
        const bytes = Train.requestSerialize({ genotype: genotypeToWire(genotype) });
        const wire = Train.requestDeserialize(bytes).genotype;
        expect(wire).not.toBeNull();
        if (wire !== null) expect(genotypeFromWire(wire)).toEqual(genotype);
      }),
    );
    expect(genotypeToWire(NASNET_A).normal?.output).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('maps every op of the wire enum but OP_UNSPECIFIED, each once', () => {
    const wire = Object.values(Op).filter((v) => v !== 'OP_UNSPECIFIED');
    expect(OP_NAMES.map(opToWire).sort()).toEqual([...wire].sort());
  });

  it('keeps the wire number of every op that stored runs and older trainers know', () => {
    // Numbers live in proto/nas/v1/genotype.proto only; the codec maps names. Never renumber.
    const pinned = {
      OP_IDENTITY: 1,
      OP_CONV_1X3_3X1: 2,
      OP_CONV_1X7_7X1: 3,
      OP_DIL_CONV_3X3: 4,
      OP_AVG_POOL_3X3: 5,
      OP_AVG_POOL_5X5: 6,
      OP_MAX_POOL_3X3: 7,
      OP_MAX_POOL_5X5: 8,
      OP_MAX_POOL_7X7: 9,
      OP_CONV_1X1: 10,
      OP_CONV_3X3: 11,
      OP_SEP_CONV_3X3: 12,
      OP_SEP_CONV_5X5: 13,
      OP_SEP_CONV_7X7: 14,
    };
    const EnumDef = z.object({
      type: z.object({ value: z.array(z.object({ name: z.string(), number: z.number() })) }),
    });
    const values = EnumDef.parse(loadTrainerPackageDefinition()['nas.v1.Op']).type.value;
    const numbers = new Map(values.map((v) => [v.name, v.number]));
    for (const [name, number] of Object.entries(pinned))
      expect(numbers.get(name), name).toBe(number);
    expect(opToWire('sep_conv_3x3')).toBe('OP_SEP_CONV_3X3');
    expect(opToWire('conv_1x3_3x1')).toBe('OP_CONV_1X3_3X1');
  });

  it('fills absent training settings with the defaults', () => {
    const [request] = fc.sample(requestArb, { numRuns: 1, seed: 1 });
    if (request === undefined) throw new Error('no sample');
    const wire = overTheWire(request);
    const decoded = trainRequestFromWire({ ...wire, training: { epochs: 3 } });
    expect(decoded.training).toEqual(parseTrainingSettings({ epochs: 3 }));
    expect(trainRequestFromWire({ ...wire, training: null }).training).toEqual(
      parseTrainingSettings({}),
    );
  });
});

type Corrupt = (wire: TrainRequest__Output) => string;

/** One corruption of a decoded wire request (edited in place), returning the path it must be reported at. */
const corruptionArb: fc.Arbitrary<Corrupt> = fc.oneof(
  fc
    .record({
      cell: fc.constantFrom('normal', 'reduction' as const),
      b: fc.nat(4),
      field: fc.constantFrom('inputA', 'inputB'),
      extra: fc.nat(20),
    })
    .map(({ cell, b, field, extra }) => (wire: TrainRequest__Output) => {
      const block = wire.genotype?.[cell]?.blocks[b];
      if (block) block[field] = 2 + b + extra;
      return `genotype.${cell}.blocks[${b}].${field}`;
    }),
  fc
    .record({
      cell: fc.constantFrom('normal', 'reduction' as const),
      b: fc.nat(4),
      field: fc.constantFrom('opA', 'opB'),
    })
    .map(({ cell, b, field }) => (wire: TrainRequest__Output) => {
      const block = wire.genotype?.[cell]?.blocks[b];
      if (block) block[field] = 'OP_UNSPECIFIED';
      return `genotype.${cell}.blocks[${b}].${field}`;
    }),
  fc.constantFrom<Corrupt>(
    (wire) => ((wire.genotype = null), 'genotype'),
    (wire) => (
      wire.network && (wire.network.skeleton = 'SKELETON_UNSPECIFIED'),
      'network.skeleton'
    ),
    (wire) => (wire.network && (wire.network.filters = 25), 'network.filters'),
    (wire) => (wire.training && (wire.training.epochs = 0), 'training.epochs'),
    (wire) => (wire.training && (wire.training.seed = 2 ** 32 - 1), 'training.seed'),
    (wire) => ((wire.dataset = ' '), 'dataset'),
    (wire) => ((wire.dataset = 'cifar11:/data'), 'dataset.kind'),
    (wire) => ((wire.dataset = 'cifar100:,labels=fine'), 'dataset.dir'),
    (wire) => ((wire.dataset = 'synthetic:classes=1'), 'dataset.classes'),
  ),
);

describe('trial request codec, bad input', () => {
  it('rejects every corruption with InvalidValueError at its path', () => {
    fc.assert(
      fc.property(requestArb, corruptionArb, (request, corrupt) => {
        const wire = overTheWire(request);
        const path = corrupt(wire);
        let caught: unknown;
        try {
          trainRequestFromWire(wire);
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(InvalidValueError);
        const paths =
          caught instanceof InvalidValueError ? caught.violations.map((v) => v.path) : [];
        expect(paths).toContain(path);
        expect(String(caught)).toContain(path);
      }),
    );
  });
});

const metricsArb: fc.Arbitrary<EpochMetrics> = fc.record({
  epoch: fc.integer({ min: 1, max: 100_000 }),
  trainLoss: fc.double({ noNaN: true }),
  trainAccuracy: fc.double({ min: 0, max: 1, noNaN: true }),
  validationLoss: fc.oneof(fc.constant(Number.NaN), fc.double({ min: 0, max: 100 })),
  validationAccuracy: fc.oneof(fc.constant(Number.NaN), fc.double({ min: 0, max: 1 })),
  learningRate: fc.double({ min: 0, max: 10, noNaN: true }),
  seconds: fc.double({ min: 0, max: 1e6, noNaN: true }),
  imagesPerSecond: fc.double({ min: 0, max: 1e6, noNaN: true }),
});

const resultArb: fc.Arbitrary<TrialResult> = fc.record({
  status: fc.constantFrom('succeeded', 'failed', 'cancelled' as const),
  reason: fc.string(),
  epochs: fc.array(metricsArb, { maxLength: 5 }),
  testAccuracy: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  params: fc.maxSafeNat(),
  bnStatistics: fc.maxSafeNat(),
  multAdds: fc.maxSafeNat(),
  latency: fc.option(
    fc.record({
      batch1Ms: fc.double({ min: 0, max: 1e4, noNaN: true }),
      batchMs: fc.double({ min: 0, max: 1e5, noNaN: true }),
      batchSize: fc.integer({ min: 1, max: 16_384 }),
    }),
  ),
  backend: fc.string(),
  device: fc.string(),
  seconds: fc.double({ min: 0, max: 1e7, noNaN: true }),
});

const eventArb: fc.Arbitrary<StreamedTrialEvent> = fc.oneof(
  fc.record({
    type: fc.constant('started' as const),
    backend: fc.string(),
    device: fc.string(),
    params: fc.maxSafeNat(),
    multAdds: fc.maxSafeNat(),
  }),
  fc.record({
    type: fc.constant('step' as const),
    step: fc.nat({ max: 2 ** 32 - 1 }),
    totalSteps: fc.nat({ max: 2 ** 32 - 1 }),
  }),
  fc.record({ type: fc.constant('epoch' as const), metrics: metricsArb }),
  fc.record({ type: fc.constant('result' as const), result: resultArb }),
);

describe('trial event codec', () => {
  it('round-trips every event through protobuf bytes (NaN validation metrics included)', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const bytes = Train.responseSerialize(trialEventToWire(event));
        expect(trialEventFromWire(Train.responseDeserialize(bytes))).toEqual(event);
      }),
    );
  });

  it('rejects a response without an event and a result without a status', () => {
    expect(() =>
      trialEventFromWire(Train.responseDeserialize(Train.responseSerialize({}))),
    ).toThrow(/without an event/);
    const bytes = Train.responseSerialize({ result: { reason: 'x' } });
    expect(() => trialEventFromWire(Train.responseDeserialize(bytes))).toThrow(
      /status TRIAL_STATUS_UNSPECIFIED/,
    );
  });

  it('round-trips trainer info', () => {
    const info = {
      capacity: 2,
      running: 1,
      backend: 'wasm',
      device: 'cpu',
      protocolVersion: PROTOCOL_VERSION,
      cellsearchVersion: '0.1.0',
      maxMemoryBytes: 12 * 2 ** 30,
    };
    const roundTrip = (value: TrainerInfo): TrainerInfo =>
      trainerInfoFromWire(
        GetInfo.responseDeserialize(GetInfo.responseSerialize(trainerInfoToWire(value))),
      );
    expect(roundTrip(info)).toEqual(info);
    // No limit travels as 0 and comes back as null.
    expect(roundTrip({ ...info, maxMemoryBytes: null })).toEqual({ ...info, maxMemoryBytes: null });
  });
});
