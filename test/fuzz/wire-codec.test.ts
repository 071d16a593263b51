/**
 * Fuzzing the wire codecs with protobuf bytes that decode: a TrainRequest either becomes a trial
 * request that round-trips or fails with InvalidValueError naming each problem's path; a trainer's
 * TrainResponse / GetInfoResponse either becomes an event / info that round-trips or fails with
 * WireMessageError. Never another error (a TypeError from a field that was not there).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../shared/errors.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { trainRequestFromWire, trainRequestToWire } from '../../proto/codec.ts';
import { WireMessageError } from '../../proto/errors.ts';
import {
  trainerInfoFromWire,
  trainerInfoToWire,
  trialEventFromWire,
  trialEventToWire,
} from '../../proto/event-codec.ts';
import { loadNasV1 } from '../../proto/load.ts';
import { anyBytesArb, fieldsArb } from './wire-bytes.ts';
import { validRequestBytesArb, wildRequestBytesArb } from './wire-requests.ts';

const { Train, GetInfo } = loadNasV1().TrainerService.service;
/** Bounded: the whole fuzz suite adds seconds to CI, not minutes. */
const RUNS = { numRuns: 300, interruptAfterTimeLimit: 8_000 };

/** Decodes `bytes` as a TrainRequest the way a trainer does; null where protobuf itself refuses them. */
function decodeRequest(bytes: Buffer): ReturnType<typeof Train.requestDeserialize> | null {
  try {
    return Train.requestDeserialize(bytes);
  } catch {
    return null; // Malformed protobuf: the server answers INVALID_ARGUMENT (trainer-requests.test.ts).
  }
}

/** The codec's contract for one decoded request. */
function checkRequest(bytes: Buffer): void {
  const wire = decodeRequest(bytes);
  if (wire === null) return;
  let request: TrialRequest;
  try {
    request = trainRequestFromWire(wire);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidValueError);
    if (!(err instanceof InvalidValueError)) return;
    expect(err.violations.length).toBeGreaterThan(0);
    for (const v of err.violations) expect(v.path).not.toBe('');
    return;
  }
  const again = Train.requestDeserialize(Train.requestSerialize(trainRequestToWire(request)));
  expect(trainRequestFromWire(again)).toEqual(request);
}

describe('TrainRequest decoding (fuzz)', () => {
  it('turns any bytes that decode into a request that round-trips, or an InvalidValueError with paths', () => {
    fc.assert(fc.property(anyBytesArb(validRequestBytesArb, 6), checkRequest), RUNS);
  });

  it('does the same for valid requests with wild numbers, enums, lists and strings', () => {
    fc.assert(fc.property(wildRequestBytesArb, checkRequest), RUNS);
  });
});

describe('trainer message decoding (fuzz)', () => {
  it('turns any TrainResponse that decodes into an event that round-trips, or a WireMessageError', () => {
    const { responseDeserialize: decode, responseSerialize: encode } = Train;
    fc.assert(
      fc.property(fieldsArb(11, 3), (bytes) => {
        let wire: ReturnType<typeof decode>;
        try {
          wire = decode(bytes);
        } catch {
          return; // Not a TrainResponse at all: the client's transport reports that.
        }
        let event: ReturnType<typeof trialEventFromWire>;
        try {
          event = trialEventFromWire(wire);
        } catch (err) {
          expect(err).toBeInstanceOf(WireMessageError);
          return;
        }
        expect(trialEventFromWire(decode(encode(trialEventToWire(event))))).toEqual(event);
      }),
      RUNS,
    );
  });

  it('turns any GetInfoResponse that decodes into trainer info that round-trips', () => {
    const { responseDeserialize: decode, responseSerialize: encode } = GetInfo;
    fc.assert(
      fc.property(fieldsArb(8, 1), (bytes) => {
        let wire: ReturnType<typeof decode>;
        try {
          wire = decode(bytes);
        } catch {
          return;
        }
        const info = trainerInfoFromWire(wire);
        expect(trainerInfoFromWire(decode(encode(trainerInfoToWire(info))))).toEqual(info);
      }),
      RUNS,
    );
  });
});
