/**
 * Which trainer protocols nas-ctl accepts (1.1 and later of major 1: the Session RPC), and the
 * words of its refusal of the others, as GetInfo's client and a fleet's line give them.
 */
import { describe, expect, it } from 'vitest';
import {
  describeTrainerFailure,
  trialFailureReason,
} from '../../controller/fleet/trainer-failure.ts';
import {
  sessionProtocolRefusal,
  TrainerProtocolError,
} from '../../controller/trainer-client/index.ts';

const TRAINER = '10.0.0.7:50051';

describe('sessionProtocolRefusal', () => {
  it.each(['1.1', '1.3', '1.10', '1.999'])('accepts %s', (version) => {
    expect(sessionProtocolRefusal(TRAINER, version)).toBeNull();
  });

  it('refuses 1.0 and 1 with what is needed and what to do', () => {
    for (const version of ['1.0']) {
      const refusal = sessionProtocolRefusal(TRAINER, version);
      expect(refusal).toBeInstanceOf(TrainerProtocolError);
      expect(refusal?.message).toBe(
        `trainer ${TRAINER} speaks protocol ${version}; this nas-ctl needs 1.1 or later (the Session RPC): upgrade nas-trainer there`,
      );
      expect(refusal?.retryable).toBe(false);
      expect(refusal?.code).toBe('TRAINER_PROTOCOL_UNSUPPORTED');
    }
  });

  it('refuses another major version with the advice to match them', () => {
    expect(sessionProtocolRefusal(TRAINER, '2.0')?.message).toBe(
      `trainer ${TRAINER} speaks protocol 2.0; this nas-ctl speaks protocol 1 (1.1 or later, for the Session RPC): use a nas-ctl and nas-trainer of the same major version`,
    );
    expect(sessionProtocolRefusal(TRAINER, '0.9')?.message).toContain('upgrade nas-trainer there');
  });

  it.each(['', '1', '1.3.0', 'v1.3', '1.x', ' 1.3'])(
    'refuses the malformed %j, quoted',
    (version) => {
      expect(sessionProtocolRefusal(TRAINER, version)?.message).toBe(
        `trainer ${TRAINER} speaks an unknown protocol ${JSON.stringify(version)}; this nas-ctl needs 1.1 or later (the Session RPC): upgrade nas-trainer there`,
      );
    },
  );
});

describe('a protocol refusal in the fleet and in a trial reason', () => {
  it('is told without the address where the line names the trainer already', () => {
    const refusal = new TrainerProtocolError(TRAINER, '1.0');
    expect(describeTrainerFailure(refusal)).toBe(
      'speaks protocol 1.0; this nas-ctl needs 1.1 or later (the Session RPC): upgrade nas-trainer there',
    );
    expect(trialFailureReason(refusal)).toBe(refusal.message);
  });
});
