/**
 * The fleet of a search: trainers join as they answer, unreachable ones are reported once in plain
 * words and asked again, addresses that are no longer resolved are drained, and an empty DNS answer
 * keeps the trainers the name gave before. Resolution is a fake (the DNS server is an edge: the
 * namespace tests use a real one); clients are real gRPC clients for the unreachable cases.
 */
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainerInfo } from '../../proto/trainer-info.ts';
import { Fleet, NoTrainerError, type FleetEvent } from '../../controller/fleet/fleet.ts';
import type { FoundAddress, ResolveTargets } from '../../controller/fleet/resolve-targets.ts';
import {
  describeTrainerFailure,
  trialFailureReason,
} from '../../controller/fleet/trainer-failure.ts';
import { closedPort } from '../fixtures/free-port.ts';
import { hostTargets, parseTrainerTarget } from '../../controller/fleet/trainer-target.ts';
import { TrainerPool } from '../../controller/search/trainer-pool.ts';
import {
  createTrainerClient,
  TrainerCallError,
  type TrainerClient,
} from '../../controller/trainer-client/index.ts';

const INFO: TrainerInfo = {
  capacity: 2,
  running: 0,
  backend: 'fake',
  device: 'none',
  protocolVersion: '1.3',
  cellsearchVersion: 'test',
  maxMemoryBytes: null,
};

const fleets: Fleet[] = [];
afterEach(() => {
  for (const f of fleets.splice(0)) f.stop();
});

/** A trainer client that answers GetInfo when `up()` says so; counts its closes. */
function fakeClient(address: string, up: () => boolean): TrainerClient & { closed: number } {
  const client = {
    address,
    closed: 0,
    info: () => (up() ? Promise.resolve(INFO) : Promise.reject(new Error('connection refused'))),
    checkDataset: () => Promise.reject(new Error('not used')),
    trial: () => {
      throw new Error('not used');
    },
    close: () => {
      client.closed++;
    },
  };
  return client;
}

/** A resolver whose answer the test sets: address list per call. */
function settableResolver(initial: readonly string[]): {
  resolve: ResolveTargets;
  set: (addresses: readonly string[]) => void;
} {
  let current = initial;
  const found = (a: string): FoundAddress => ({ address: a, name: 'trainers.test' });
  return {
    resolve: (targets) =>
      Promise.resolve({
        addresses: current.map(found),
        problems:
          current.length === 0 ? targets.map(() => 'dns:///trainers.test:1: no such name') : [],
      }),
    set: (addresses) => {
      current = addresses;
    },
  };
}

function fleetOver(
  pool: TrainerPool,
  resolve: ResolveTargets,
  connect: (address: string) => TrainerClient,
  events: FleetEvent[],
): Fleet {
  const violations: never[] = [];
  const target = parseTrainerTarget('dns:///trainers.test:1', 'test', violations);
  if (target === null) throw new Error('bad target');
  const fleet = new Fleet({ targets: [target], pool, connect, intervalMs: 50, resolve });
  fleet.events$.subscribe((e) => events.push(e));
  fleets.push(fleet);
  return fleet;
}

describe('the fleet', () => {
  it('starts with the trainers that answer and says in plain words why the others do not', async () => {
    const port = await closedPort();
    const down = `127.0.0.1:${port}`;
    const pool = new TrainerPool([]);
    const events: FleetEvent[] = [];
    const { resolve } = settableResolver(['10.0.0.1:1', down]);
    const fleet = fleetOver(
      pool,
      resolve,
      (address) =>
        address === down ? createTrainerClient({ address }) : fakeClient(address, () => true),
      events,
    );
    await fleet.start();
    const first = await fleet.ready(5_000);
    expect(first.client.address).toBe('10.0.0.1:1');
    expect(pool.addresses()).toEqual(['10.0.0.1:1']);
    expect(pool.capacity()).toBe(2);
    const unreachable = events.find((e) => e.type === 'trainer-unreachable');
    expect(unreachable).toEqual({
      type: 'trainer-unreachable',
      trainer: down,
      reason: 'connection refused: is nas-trainer serve running there, on that port?',
    });
    // Reported once, though it is asked again and again.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(events.filter((e) => e.type === 'trainer-unreachable')).toHaveLength(1);
  });

  it('lets a trainer join once it answers, and grows the pool', async () => {
    let upNow = false;
    const pool = new TrainerPool([]);
    const events: FleetEvent[] = [];
    const { resolve } = settableResolver(['10.0.0.1:1', '10.0.0.2:1']);
    const fleet = fleetOver(
      pool,
      resolve,
      (address) => fakeClient(address, () => address === '10.0.0.1:1' || upNow),
      events,
    );
    let resized = 0;
    pool.onResize(() => resized++);
    await fleet.start();
    await fleet.ready(5_000);
    expect(pool.capacity()).toBe(2);
    upNow = true;
    await expect.poll(() => pool.capacity(), { timeout: 5_000 }).toBe(4);
    expect(resized).toBe(2);
    expect(events.map((e) => e.type)).toEqual([
      'trainer-joined',
      'trainer-unreachable',
      'trainer-joined',
    ]);
  });

  it('drains an address that is no longer resolved and joins a new one', async () => {
    const pool = new TrainerPool([]);
    const events: FleetEvent[] = [];
    const clients = new Map<string, ReturnType<typeof fakeClient>>();
    const dns = settableResolver(['10.0.0.1:1', '10.0.0.2:1']);
    const fleet = fleetOver(
      pool,
      dns.resolve,
      (address) => {
        const client = fakeClient(address, () => true);
        clients.set(address, client);
        return client;
      },
      events,
    );
    await fleet.start();
    await fleet.ready(5_000);
    await expect.poll(() => pool.addresses().length).toBe(2);
    // A trial runs on 10.0.0.2 when it leaves: it finishes there, and only then is it closed.
    const busy = pool.acquire('10.0.0.1:1');
    expect(busy?.address).toBe('10.0.0.2:1');
    dns.set(['10.0.0.1:1', '10.0.0.3:1']);
    await expect
      .poll(() => pool.addresses(), { timeout: 2_000 })
      .toEqual(['10.0.0.1:1', '10.0.0.3:1']);
    expect(events).toContainEqual({ type: 'trainer-left', trainer: '10.0.0.2:1', running: 1 });
    expect(pool.trainerStates().find((t) => t.address === '10.0.0.2:1')?.draining).toBe(true);
    expect(clients.get('10.0.0.2:1')?.closed).toBe(0);
    for (let i = 0; i < 8; i++) expect(pool.acquire()?.address).not.toBe('10.0.0.2:1');
    if (busy === null) throw new Error('no trainer');
    pool.release(busy);
    expect(clients.get('10.0.0.2:1')?.closed).toBe(1);
    expect(pool.trainerStates().map((t) => t.address)).not.toContain('10.0.0.2:1');
  });

  it('keeps the trainers a name gave before when it resolves to nothing, with a warning', async () => {
    const pool = new TrainerPool([]);
    const events: FleetEvent[] = [];
    const dns = settableResolver(['10.0.0.1:1']);
    const fleet = fleetOver(pool, dns.resolve, (a) => fakeClient(a, () => true), events);
    await fleet.start();
    await fleet.ready(5_000);
    dns.set([]);
    await expect.poll(() => events.some((e) => e.type === 'discovery-warning')).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(pool.addresses()).toEqual(['10.0.0.1:1']);
    const warnings = events.filter((e) => e.type === 'discovery-warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      message: expect.stringMatching(/no such name; keeping the 1 trainer address/) as unknown,
    });
    dns.set(['10.0.0.1:1']);
    await expect.poll(() => events.filter((e) => e.type === 'discovery-warning').length).toBe(2);
  });

  it('fails the start after the wait when no trainer answers, naming each and why', async () => {
    const port = await closedPort();
    const pool = new TrainerPool([]);
    const fleet = new Fleet({
      targets: hostTargets([`127.0.0.1:${port}`]),
      pool,
      connect: (address) => createTrainerClient({ address }),
      intervalMs: 10_000,
    });
    fleets.push(fleet);
    await fleet.start();
    const err: unknown = await fleet.ready(1_500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoTrainerError);
    const message = err instanceof Error ? err.message : '';
    expect(message).toContain('no trainer answered within 1.5 s (--trainer-wait)');
    expect(message).toContain(`127.0.0.1:${port}: connection refused`);
    expect(message).not.toMatch(/Resolution note|No connection established/);
  });
});

describe('trainer failures in words', () => {
  it('never shows gRPC boilerplate', async () => {
    const port = await closedPort();
    const client = createTrainerClient({ address: `127.0.0.1:${port}` });
    try {
      const err: unknown = await client.info({ failFast: true }).catch((e: unknown) => e);
      const words = describeTrainerFailure(err);
      expect(words).toBe('connection refused: is nas-trainer serve running there, on that port?');
    } finally {
      client.close();
    }
  });

  it('names the trainer and keeps what it said in a trial reason, without the boilerplate', () => {
    const raw =
      'No connection established. Last error: Error: connect ECONNREFUSED 10.0.0.7:50051. Resolution note: ';
    expect(
      trialFailureReason(new TrainerCallError('10.0.0.7:50051', status.UNAVAILABLE, raw)),
    ).toBe(
      'trainer 10.0.0.7:50051: connection refused: is nas-trainer serve running there, on that port?',
    );
    const dropped = new TrainerCallError(
      '10.0.0.7:50051',
      status.UNAVAILABLE,
      'Connection dropped',
    );
    expect(trialFailureReason(dropped)).toBe(
      'trainer 10.0.0.7:50051: UNAVAILABLE: Connection dropped',
    );
  });
});
