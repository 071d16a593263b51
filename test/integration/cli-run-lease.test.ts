/**
 * One controller per run (issue #20), end to end: real nas-ctl processes on one run directory, with
 * trainer servers on loopback in this process whose runner is a fake (the process edge stands in
 * for tfjs). A second `nas-ctl search --resume` of a running run, by another path to the same
 * directory, is refused at once naming the holder, and the first completes with one ask, one tell
 * and one trial per candidate; after kill -9 of the holder a resume takes over at once.
 */
import { mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { genotypeHash } from '../../shared/canonical.ts';
import type { TrialResult } from '../../shared/trial.ts';
import { LEASE_TTL_MS, openRunStore } from '../../controller/store/index.ts';
import type { TrainerServer } from '../../trainer/server/trainer-server.ts';
import type { TrialRunner } from '../../trainer/runner/trial-runner.ts';
import { startFakeTrainerServer } from '../fixtures/fake-trainer-server.ts';
import { withHonestSize } from '../fixtures/honest-size.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { killLeftJobs, startSearchJob } from '../fixtures/search-job.ts';
import { FAKE_RESULT } from './grpc-fake-runner.ts';

const BUDGET = 24;
/** Search flags: the fake runner reads only the epochs; the trainer checks the dataset spec. */
const FLAGS = [
  '--strategy',
  'evolution',
  '--population',
  '4',
  '--sample',
  '2',
  '--dataset',
  'synthetic:classes=2,size=8,train=32,test=8',
  '--size',
  '1@24',
  '--epochs',
  '1',
  '--steps-per-epoch',
  '2',
  '--batch-size',
  '8',
  '--validation-size',
  '8',
];

/** Holds every trial until opened, so a test decides when the first search may finish. */
class Gate {
  private open = false;
  private waiting: (() => void)[] = [];

  pass(signal: AbortSignal | undefined): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  release(): void {
    this.open = true;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

let gate = new Gate();

/** A trial that waits at the gate, then succeeds with an accuracy drawn from its genotype's hash. */
const runner: TrialRunner = async (request, hooks) => {
  await gate.pass(hooks.signal);
  const accuracy = 0.5 + (parseInt(genotypeHash(request.genotype).slice(0, 4), 16) % 40) / 100;
  const epochs: TrialResult['epochs'] = [
    {
      epoch: 1,
      trainLoss: 1,
      trainAccuracy: accuracy,
      validationLoss: 1,
      validationAccuracy: accuracy,
      learningRate: 0.1,
      seconds: 0,
      imagesPerSecond: 1,
    },
  ];
  if (hooks.signal?.aborted === true)
    return { ...FAKE_RESULT, status: 'cancelled', reason: 'cancelled', epochs: [] };
  // The controller fails a result whose sizes are not its own count of the network.
  return withHonestSize({ ...FAKE_RESULT, status: 'succeeded', reason: '', epochs }, request);
};

let trainer: TrainerServer;
beforeAll(async () => {
  trainer = await startFakeTrainerServer(runner);
});
afterAll(() => trainer.shutdown('tests over'));
afterEach(() => {
  killLeftJobs();
  gate.release();
  gate = new Gate();
});

/** A run directory path, and another path to it through a symlink. */
async function runPaths(): Promise<{ dir: string; link: string }> {
  const base = await mkdtemp(join(tmpdir(), 'cellsearch-lease-'));
  await mkdir(join(base, 'real'));
  await symlink(join(base, 'real'), join(base, 'link'));
  return { dir: join(base, 'real', 'run'), link: join(base, 'link', 'run') };
}

/** Each candidate of the run asked once, told once and queued as one trial; doctor finds nothing. */
async function expectOneEach(dir: string, trials: number): Promise<void> {
  const store = openRunStore(dir, { readonly: true });
  try {
    const journal = store.journal.entriesAfter(0);
    const asks = journal.filter((e) => e.kind === 'ask').map((e) => e.candidateId);
    const tells = journal.filter((e) => e.kind === 'tell').map((e) => e.candidateId);
    const candidates = Array.from({ length: trials }, (_, i) => i + 1);
    expect(asks).toEqual(candidates);
    expect([...tells].sort((a, b) => a - b)).toEqual(candidates);
    expect(store.trials().map((t) => t.candidateId)).toEqual(candidates);
  } finally {
    store.close();
  }
  expect(await nasCtl('doctor', dir)).toMatchObject({ code: 0, stdout: `${dir}: no problems\n` });
}

describe('nas-ctl search on a run another nas-ctl is searching', () => {
  it('refuses a second search by another path at once, naming the holder; the first completes whole', async () => {
    const { dir, link } = await runPaths();
    const startedAt = Date.now();
    const first = startSearchJob([
      ...FLAGS,
      '--trials',
      String(BUDGET),
      '--trainers',
      trainer.address,
      '--run-dir',
      dir,
    ]);
    await first.until(() => first.events.some((e) => e.type === 'trial-started'));
    // Were it not refused, it would wait at the gate with the first: open it after a while.
    const unblock = setTimeout(() => gate.release(), 20_000);
    const second = await nasCtl('search', '--resume', link, '--trainers', trainer.address);
    clearTimeout(unblock);
    expect(second.code).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const match =
      /^error: run (\S+) is held by another nas-ctl: host (\S+), pid (\d+), since (\S+) \(last heartbeat \d+ s ago\); stop it first, or wait (\d+) s for its lease to lapse if it died$/.exec(
        lines[0] ?? '',
      );
    expect(match?.slice(1, 4)).toEqual([link, hostname(), String(first.pid)]);
    const since = Date.parse(match?.[4] ?? '');
    expect(since).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(since).toBeLessThanOrEqual(Date.now());
    expect(Number(match?.[5])).toBeLessThanOrEqual(LEASE_TTL_MS / 1000);
    gate.release();
    expect(await first.ended).toMatchObject({ code: 0 });
    await expectOneEach(dir, BUDGET);
    // Released at the end: a resume now starts without a word about the lease.
    const later = await nasCtl('search', '--resume', link, '--trainers', trainer.address);
    expect(later.code).toBe(0);
    expect(later.stderr).not.toContain('took over');
  });

  it('takes over at once from a holder killed with -9 on this host, and finishes the run whole', async () => {
    const { dir, link } = await runPaths();
    const first = startSearchJob([
      ...FLAGS,
      '--trials',
      String(BUDGET),
      '--trainers',
      trainer.address,
      '--run-dir',
      dir,
    ]);
    await first.until(() => first.events.some((e) => e.type === 'trial-started'));
    process.kill(-first.pid, 'SIGKILL');
    await first.ended;
    gate.release();
    const resumedAt = Date.now();
    const resumed = await nasCtl('search', '--resume', link, '--trainers', trainer.address);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(
      new RegExp(
        `^nas-ctl: run ${link}: took over the lease of a dead nas-ctl \\(host ${hostname()}, pid ${first.pid}, since \\S+; its process is gone\\)$`,
        'm',
      ),
    );
    // At once, not after the lease's time to live.
    expect(Date.now() - resumedAt).toBeLessThan(LEASE_TTL_MS);
    await expectOneEach(dir, BUDGET);
  });
});
