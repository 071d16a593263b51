/**
 * `nas-ctl search` over a fleet on loopback (issue #20): a trainer that is down at the start does
 * not stop the search, is named in one plain line, and joins when it comes up; no trainer at all
 * within --trainer-wait is one actionable error; `--resume` continues on the run's own trainers.
 * Real nas-ctl and nas-trainer processes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_SEARCH_FLAGS } from '../fixtures/fast-search.ts';
import { closedPort } from '../fixtures/free-port.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { killLeftJobs, startSearchJob } from '../fixtures/search-job.ts';
import { killTrainers, spawnTrainer } from './grpc-helpers.ts';

/** Trials of a second or less on the cpu backend. */
const FAST = ['--strategy', 'random', ...FAST_SEARCH_FLAGS];
const SLOW = 120_000;

afterEach(() => {
  killLeftJobs();
  killTrainers();
});

async function runDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'cellsearch-fleet-')), 'run');
}

describe('nas-ctl search over a fleet', () => {
  it(
    'starts without the trainer that is down, says why in one plain line, and gives it trials once it is up',
    async () => {
      const up = await spawnTrainer(['--backend', 'cpu']);
      const port = await closedPort();
      const down = `127.0.0.1:${port}`;
      const dir = await runDir();
      const job = startSearchJob([
        ...FAST,
        // Enough trials that, even on a loaded machine, some remain once the fleet's backoff (up
        // to 30 s) lets the late trainer join.
        '--trials',
        '80',
        '--trainers',
        `${up.address},${down}`,
        '--run-dir',
        dir,
      ]);
      await job.until(() => job.events.some((e) => e.type === 'trial-finished'));
      const late = await spawnTrainer(['--backend', 'cpu', '--port', String(port)]);
      expect(late.address).toBe(down);
      const upAt = Date.now();
      await job.until(() =>
        job.events.some((e) => e.type === 'trial-started' && e.trainer === down),
      );
      const joinedWithinMs = Date.now() - upAt;
      const end = await job.ended;
      expect(end.code).toBe(0);
      const unreachable = job.events.filter((e) => e.type === 'trainer-unreachable');
      expect(unreachable).toEqual([
        {
          type: 'trainer-unreachable',
          trainer: down,
          reason: 'connection refused: is nas-trainer serve running there, on that port?',
        },
      ]);
      expect(job.events).toContainEqual({ type: 'trainer-joined', trainer: down, capacity: 1 });
      expect(job.stderr()).not.toMatch(/Resolution note|No connection established|UNAVAILABLE/);
      // Backoff after a refusal: 1 s, doubling, at most 30 s; the first trial took well under that.
      expect(joinedWithinMs).toBeLessThan(35_000);
      const finished = job.events.filter((e) => e.type === 'trial-finished');
      expect(finished).toHaveLength(80);
      expect(new Set(finished.map((e) => e.trialId)).size).toBe(80);
    },
    SLOW,
  );

  it(
    'fails after --trainer-wait when no trainer answers, naming each one and what to check, and keeps no run',
    async () => {
      const port = await closedPort();
      const dir = await runDir();
      const out = await nasCtl(
        'search',
        ...FAST,
        '--trainers',
        `127.0.0.1:${port},dns://127.0.0.1:${port}/trainers.invalid:50051`,
        '--trainer-wait',
        '2s',
        '--run-dir',
        dir,
      );
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('error: no trainer answered within 2 s (--trainer-wait)');
      expect(out.stderr).toContain(
        `127.0.0.1:${port}: connection refused: is nas-trainer serve running there, on that port?`,
      );
      expect(out.stderr).toMatch(/dns:\/\/127\.0\.0\.1:\d+\/trainers\.invalid:50051: /);
      expect(out.stderr).not.toMatch(/Resolution note|No connection established|\n\s+at /);
      expect(existsSync(join(dir, 'run.sqlite'))).toBe(false);
    },
    SLOW,
  );

  it(
    'resumes on the trainers the run was given, saying so, and starts no local trainer',
    async () => {
      const trainer = await spawnTrainer(['--backend', 'cpu']);
      const dir = await runDir();
      const first = await nasCtl(
        'search',
        '--json',
        ...FAST,
        '--trials',
        '2',
        '--trainers',
        trainer.address,
        '--trainer-wait',
        '7s',
        '--run-dir',
        dir,
      );
      expect(first.code).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'trainers.json'), 'utf8'))).toMatchObject({
        trainers: { kind: 'remote', entries: [trainer.address], file: null },
        trainerWaitMs: 7_000,
      });
      const resumed = await nasCtl('search', '--json', '--resume', dir, '--trials', '4');
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toContain(
        `nas-ctl: resuming on the run's trainers: ${trainer.address} (from trainers.json; --trainers or --local-trainers change them)`,
      );
      const started = resumed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; trainer?: string })
        .filter((e) => e.type === 'trial-started');
      expect(started.length).toBe(2);
      for (const e of started) expect(e.trainer).toBe(trainer.address);
      // Local trainers would have logged here.
      expect(existsSync(join(dir, 'logs'))).toBe(false);
    },
    SLOW,
  );
});
