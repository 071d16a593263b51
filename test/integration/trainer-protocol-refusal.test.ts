/**
 * nas-ctl runs every trial over the Session RPC (protocol 1.1). A trainer that answers GetInfo with
 * an older protocol is refused once, in plain words, by the client and by the fleet, and is never
 * sent a trial by Train or Session. Real gRPC on 127.0.0.1:0; the trainer is the in-process fake
 * posing as an older build.
 */
import { lastValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Fleet, NoTrainerError, type FleetEvent } from '../../controller/fleet/fleet.ts';
import { parseTrainerTarget } from '../../controller/fleet/trainer-target.ts';
import { TrainerPool } from '../../controller/search/trainer-pool.ts';
import {
  createTrainerClient,
  TrainerProtocolError,
} from '../../controller/trainer-client/index.ts';
import type { TrainerServer } from '../../trainer/server/trainer-server.ts';
import { startFakeTrainerServer } from '../fixtures/fake-trainer-server.ts';
import { fakeRunner } from './grpc-fake-runner.ts';
import { TINY } from './grpc-helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake trainer answering `protocolVersion`, with the methods it was called with and the datasets it ran. */
async function olderTrainer(
  protocolVersion: string,
): Promise<{ server: TrainerServer; calls: string[]; ran: string[] }> {
  const calls: string[] = [];
  const ran: string[] = [];
  const server = await startFakeTrainerServer(fakeRunner(1, ran), 2, {
    protocolVersion,
    onCall: (method) => calls.push(method),
  });
  cleanups.push(() => server.shutdown('test over'));
  return { server, calls, ran };
}

describe('a trainer that speaks protocol 1.0', () => {
  it('is refused by GetInfo with the trainer, its protocol and what is needed, not retryable', async () => {
    const { server } = await olderTrainer('1.0');
    const client = createTrainerClient({ address: server.address });
    cleanups.push(() => client.close());
    const refusal = await client.info().then(
      () => null,
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(TrainerProtocolError);
    expect(refusal).toMatchObject({
      retryable: false,
      trainer: server.address,
      protocolVersion: '1.0',
      message: `trainer ${server.address} speaks protocol 1.0; this nas-ctl needs 1.1 or later (the Session RPC): upgrade nas-trainer there`,
    });
  });

  it('is never sent a trial, by Train or by Session: the trial fails with the same refusal', async () => {
    const { server, calls, ran } = await olderTrainer('1.0');
    const client = createTrainerClient({ address: server.address });
    cleanups.push(() => client.close());
    const failure = await lastValueFrom(client.trial(TINY)).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(TrainerProtocolError);
    expect(failure).toMatchObject({ retryable: false, trainer: server.address });
    expect(calls).toEqual(['GetInfo']);
    expect(ran).toEqual([]);
  });

  it('never joins a fleet, which says why in plain words', async () => {
    const { server, calls } = await olderTrainer('1.0');
    const pool = new TrainerPool([]);
    const target = parseTrainerTarget(server.address, 'test', []);
    if (target === null) throw new Error(`${server.address} is not a target`);
    const fleet = new Fleet({
      targets: [target],
      pool,
      connect: (address) => createTrainerClient({ address }),
      intervalMs: 60_000,
    });
    cleanups.push(() => fleet.stop());
    const events: FleetEvent[] = [];
    fleet.events$.subscribe((e) => events.push(e));
    await fleet.start();
    const waited = await fleet.ready(1_500).then(
      () => null,
      (err: unknown) => err,
    );
    expect(waited).toBeInstanceOf(NoTrainerError);
    const advice =
      'speaks protocol 1.0; this nas-ctl needs 1.1 or later (the Session RPC): upgrade nas-trainer there';
    expect(waited instanceof Error && waited.message).toContain(`${server.address}: ${advice}`);
    expect(events).toContainEqual({
      type: 'trainer-unreachable',
      trainer: server.address,
      reason: advice,
    });
    expect(pool.addresses()).toEqual([]);
    expect(new Set(calls)).toEqual(new Set(['GetInfo']));
  });
});

describe('a trainer that speaks protocol 1.1 or later', () => {
  it('runs trials over one Session', async () => {
    const { server, calls, ran } = await olderTrainer('1.1');
    const client = createTrainerClient({ address: server.address });
    cleanups.push(() => client.close());
    expect((await client.info()).protocolVersion).toBe('1.1');
    const last = await lastValueFrom(client.trial(TINY));
    expect(last.type === 'result' && last.result.status).toBe('succeeded');
    await lastValueFrom(client.trial(TINY));
    expect(calls).toEqual(['GetInfo', 'Session']);
    expect(ran).toHaveLength(2);
  });
});
