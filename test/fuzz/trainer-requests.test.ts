/**
 * The trainer's request checks end to end, through a real server on 127.0.0.1:0 with a fake runner:
 * any request bytes to Train, Session or GetInfo end in a status the contract names for bad input
 * (or start a trial), never INTERNAL and never a hang. The inputs fuzzing found are plain tests.
 */
import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainRequestToWire } from '../../proto/codec.ts';
import type { TrainRequest } from '../../proto/gen/nas/v1/TrainRequest.ts';
import { loadNasV1 } from '../../proto/load.ts';
import { TINY } from '../integration/grpc-helpers.ts';
import { rawGetInfo, rawSession, rawTrain, startRawTrainer, type RawTrainer } from './raw-calls.ts';
import { anyBytesArb, delimited, encodeFields, override, varint } from './wire-bytes.ts';
import { validRequestBytesArb } from './wire-requests.ts';

const { Train } = loadNasV1().TrainerService.service;
/** What bad input may end in (Train's documented errors), besides a trial that starts. */
const ALLOWED = new Set<unknown>([
  status.INVALID_ARGUMENT,
  status.RESOURCE_EXHAUSTED,
  status.FAILED_PRECONDITION,
  status.PERMISSION_DENIED,
  status.OK,
  'started',
]);
/** Few runs: each is a real call. */
const RUNS = { numRuns: 40, interruptAfterTimeLimit: 10_000 };

let trainer: RawTrainer;
beforeAll(async () => {
  trainer = await startRawTrainer();
});
afterAll(() => trainer.close());

/** A SessionRequest that starts the trial in `train` under `key`. */
function sessionStart(train: Buffer, key = 1n): Buffer {
  return encodeFields([
    { field: 1, wireType: 0, payload: varint(key) },
    { field: 2, wireType: 2, payload: delimited(train) },
  ]);
}

const TINY_WIRE = trainRequestToWire(TINY, 'regression');
const bytesOf = (wire: TrainRequest): Buffer => Train.requestSerialize(wire);

describe('malformed and out-of-range requests (found by fuzzing)', () => {
  // Not protobuf: wire type 7 does not exist. grpc-js answered INTERNAL "Error deserializing request".
  const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
  // Field 1 (the genotype, a message) sent as a varint: a length that runs past the end.
  const wrongWireType = Buffer.from([0x08, 0x01]);

  it.each([
    ['Train', rawTrain, 'nas.v1.TrainRequest'],
    ['GetInfo', rawGetInfo, 'nas.v1.GetInfoRequest'],
    ['Session', rawSession, 'nas.v1.SessionRequest'],
  ] as const)(
    '%s answers bytes that are not protobuf with INVALID_ARGUMENT',
    async (_, call, type) => {
      const outcome = await call(trainer.client, garbage);
      expect(outcome).toEqual({
        code: status.INVALID_ARGUMENT,
        details: `malformed ${type}: invalid wire type 7 at offset 5`,
      });
    },
  );

  it('answers a field of the wrong wire type with INVALID_ARGUMENT', async () => {
    const train = await rawTrain(trainer.client, wrongWireType);
    expect(train.code).toBe(status.INVALID_ARGUMENT);
    expect(train.details).toMatch(/^malformed nas\.v1\.TrainRequest: index out of range/);
    const session = await rawSession(trainer.client, sessionStart(wrongWireType));
    expect(session.code).toBe(status.INVALID_ARGUMENT);
    expect(session.details).toMatch(/^malformed nas\.v1\.SessionRequest: /);
  });

  it('answers a request whose problems fill more than the trailers hold, instead of hanging', async () => {
    // 30 000 accented characters, quoted in the message, percent-encoded to 180 KB of trailers:
    // the client never heard of the status and waited for its deadline.
    const outcome = await rawTrain(
      trainer.client,
      bytesOf({ ...TINY_WIRE, dataset: 'é'.repeat(30_000) }),
    );
    expect(outcome.code).toBe(status.INVALID_ARGUMENT);
    expect(outcome.details).toMatch(
      /^invalid trial request \(1 problem\):\n {2}- dataset\.kind: unknown/,
    );
    expect(outcome.details).toMatch(/\.\.\. \(\d+ more characters\)$/);
  });

  it('answers thousands of blocks at once with the one problem, by its path', async () => {
    // 12 000 blocks fit in 48 KB; walking each one took seconds and listed 36 000 violations.
    const blocks = Array.from({ length: 12_000 }, () => ({ inputA: 99 }));
    const genotype = { ...TINY_WIRE.genotype, normal: { blocks } };
    const started = Date.now();
    const outcome = await rawTrain(trainer.client, bytesOf({ ...TINY_WIRE, genotype }));
    expect(outcome).toEqual({
      code: status.INVALID_ARGUMENT,
      details:
        'invalid trial request (1 problem):\n  - genotype.normal.blocks: expected 5 blocks (B of search space "default"), got 12000',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  // protobufjs replaces (does not merge) a nested message sent twice, so each case sends whole ones.
  const { network, training, genotype } = TINY_WIRE;
  const unknownSkeleton = encodeFields([
    { field: 1, wireType: 0, payload: varint(1n) },
    { field: 2, wireType: 0, payload: varint(48n) },
    { field: 3, wireType: 0, payload: varint(77n) },
  ]);
  const output = Array.from({ length: 30_000 }, (_, i) => i % 7);
  it.each([
    [
      'a negative count (a huge uint32)',
      bytesOf({ ...TINY_WIRE, network: { ...network, cells: -1 } }),
      'network.cells',
    ],
    [
      'a NaN double',
      bytesOf({ ...TINY_WIRE, training: { ...training, momentum: NaN } }),
      'training.momentum',
    ],
    [
      'an unknown enum number',
      Buffer.concat([bytesOf(TINY_WIRE), override([2], 2, delimited(unknownSkeleton))]),
      'network.skeleton',
    ],
    // 30 000 output states fit in 30 KB; walking them took a second and listed each one.
    [
      'a long output list',
      bytesOf({
        ...TINY_WIRE,
        genotype: { ...genotype, reduction: { ...genotype?.reduction, output } },
      }),
      'genotype.reduction.output',
    ],
  ])('answers %s with INVALID_ARGUMENT naming its path', async (_, bytes, path) => {
    const outcome = await rawTrain(trainer.client, bytes);
    expect(outcome.code).toBe(status.INVALID_ARGUMENT);
    expect(outcome.details).toContain(`- ${path}: `);
  });
});

describe('any request bytes (fuzz, real server)', () => {
  it('Train ends with a bad-input status or starts the trial', async () => {
    await fc.assert(
      fc.asyncProperty(anyBytesArb(validRequestBytesArb, 6), async (bytes) => {
        const { code, details } = await rawTrain(trainer.client, bytes);
        expect(ALLOWED.has(code), `${String(code)} ${details}`).toBe(true);
      }),
      RUNS,
    );
  });

  it('Session answers each start with a bad-input status or the trial', async () => {
    const sessionBytes = validRequestBytesArb.map((train) => sessionStart(train, 7n));
    await fc.assert(
      fc.asyncProperty(anyBytesArb(sessionBytes, 4), async (bytes) => {
        const { code, details } = await rawSession(trainer.client, bytes);
        expect(ALLOWED.has(code), `${String(code)} ${details}`).toBe(true);
      }),
      RUNS,
    );
  });

  it('GetInfo answers or refuses with INVALID_ARGUMENT', async () => {
    await fc.assert(
      fc.asyncProperty(anyBytesArb(fc.constant(Buffer.alloc(0)), 4), async (bytes) => {
        const { code, details } = await rawGetInfo(trainer.client, bytes);
        expect([status.OK, status.INVALID_ARGUMENT], details).toContain(code);
      }),
      RUNS,
    );
  });
});
