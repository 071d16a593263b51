/**
 * A full disk under a search (issue #21): the run directory is on a small tmpfs of its own, a real
 * `nas-ctl search` runs there against a trainer server on loopback whose runner is a fake, and the
 * disk is filled once trials are being stored. nas-ctl then stops with one message saying what is
 * full and how to resume, exits 1, and loses nothing it reported; once space is freed the same run
 * resumes to its end and `doctor` finds no problem. Needs root (mount); CI runs as root.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore } from '../../controller/store/index.ts';
import type { TrialResult } from '../../shared/trial.ts';
import type { TrainerServer } from '../../trainer/server/trainer-server.ts';
import type { TrialRunner } from '../../trainer/runner/trial-runner.ts';
import { startFakeTrainerServer } from '../fixtures/fake-trainer-server.ts';
import { withHonestSize } from '../fixtures/honest-size.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { killLeftJobs, startSearchJob } from '../fixtures/search-job.ts';
import { FAKE_RESULT } from './grpc-fake-runner.ts';

const FLAGS = [
  ...['--strategy', 'evolution', '--population', '4', '--sample', '2'],
  ...['--dataset', 'synthetic:classes=2,size=8,train=32,test=8', '--size', '1@24'],
  ...['--epochs', '1', '--steps-per-epoch', '2', '--batch-size', '8', '--validation-size', '8'],
];

/** A trial of about 20 ms that succeeds with the accuracy the controller can check. */
const runner: TrialRunner = async (request) => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const epochs: TrialResult['epochs'] = [
    {
      epoch: 1,
      trainLoss: 1,
      trainAccuracy: 0.6,
      validationLoss: 1,
      validationAccuracy: 0.6,
      learningRate: 0.1,
      seconds: 0,
      imagesPerSecond: 1,
    },
  ];
  return withHonestSize({ ...FAKE_RESULT, status: 'succeeded', reason: '', epochs }, request);
};

/** Whether this process may mount a tmpfs (root, with the capability). */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'cellsearch-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Writes zeros to `file` until the disk refuses more (ENOSPC). */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (let i = 0; i < 1_000_000; i++) writeSync(fd, block);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOSPC')) throw err;
  } finally {
    closeSync(fd);
  }
}

let trainer: TrainerServer;
let mountPoint: string;
beforeAll(async () => {
  trainer = await startFakeTrainerServer(runner);
});
afterAll(() => trainer.shutdown('tests over'));
afterEach(() => {
  killLeftJobs();
  if (mountPoint !== undefined) execFileSync('umount', ['-l', mountPoint]);
});

describe.skipIf(!canMount())('nas-ctl search on a disk that fills up', () => {
  it('stops with one message naming the full disk and the resume, keeps what it reported, and resumes', async () => {
    mountPoint = mkdtempSync(join(tmpdir(), 'cellsearch-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint]);
    const dir = join(mountPoint, 'run');
    const job = startSearchJob([
      ...FLAGS,
      ...['--trials', '100000', '--trainers', trainer.address, '--run-dir', dir],
    ]);
    const ended = (): number => job.events.filter((e) => e.type === 'trial-finished').length;
    await job.until(() => ended() >= 10);
    const filledAt = Date.now();
    fillDisk(join(mountPoint, 'filler'));
    const end = await job.ended;
    expect(end.code).toBe(1);
    expect(end.at - filledAt).toBeLessThan(15_000);
    const stderr = job.stderr();
    expect(stderr).toContain(
      `error: cannot write ${join(dir, 'run.sqlite')}: the disk holding it is full (SQLITE_FULL).`,
    );
    expect(stderr).toContain(`nas-ctl search --resume ${dir}`);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain('SqliteError');
    // Every trial the search reported as ended is in the store (reports follow commits).
    const reported = new Set(
      job.events.flatMap((e) => (e.type === 'trial-finished' ? [e.trialId] : [])),
    );
    const store = openRunStore(dir, { readonly: true });
    const stored = new Set(store.finishedTrials().map((t) => t.id));
    store.close();
    for (const id of reported) expect(stored.has(id)).toBe(true);
    rmSync(join(mountPoint, 'filler'));
    const budget = String(stored.size + 6);
    const resumed = await nasCtl('search', '--resume', dir, '--trials', budget);
    expect(resumed.stderr).not.toMatch(/^\s+at /m);
    expect(resumed.code).toBe(0);
    expect(await nasCtl('doctor', dir)).toMatchObject({ code: 0, stdout: `${dir}: no problems\n` });
    // The reports write their files whole or not at all, and say which file the full disk refused.
    fillDisk(join(mountPoint, 'filler'));
    const out = join(mountPoint, 'best');
    const exported = await nasCtl(
      'export',
      dir,
      '--out',
      out,
      '--trials-csv',
      join(mountPoint, 'all.csv'),
    );
    expect(exported.code).toBe(1);
    expect(exported.stderr).toBe(
      `error: cannot write ${join(mountPoint, 'all.csv')}: the disk is full (ENOSPC)\n`,
    );
    expect(readdirSync(mountPoint).sort()).toEqual(['filler', 'run']);
  }, 120_000);
});
