/**
 * Ctrl-C, SIGTERM and --resume of nas-ctl search, end to end (issue #5): real nas-ctl and local
 * nas-trainer processes, a real run directory. nas-ctl runs as a job in its own process group, so a
 * Ctrl-C reaches it and the trainers it started together, as in a terminal.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { genotypeHash } from '../../shared/canonical.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import type { SearchOrFleetEvent } from '../../controller/search/search-events.ts';
import {
  openRunStore,
  RUN_FILE,
  type JournalEntry,
  type TrialRecord,
} from '../../controller/store/index.ts';
import { createEvolutionStrategy } from '../../controller/strategies/evolution.ts';
import { defaultStrategyConfig } from '../../shared/strategy-config.ts';
import type { Candidate } from '../../controller/strategies/types.ts';
import { groupAlive, killLeftJobs, startSearchJob, trainersOf } from '../fixtures/search-job.ts';

/** Trials of well under a second: a search that is still running when the test stops it. */
const TINY = [
  '--backend',
  'wasm',
  '--dataset',
  'synthetic:classes=2,size=8,train=32,test=8',
  '--size',
  '1@24',
  '--epochs',
  '1',
  '--steps-per-epoch',
  '4',
  '--batch-size',
  '8',
  '--validation-size',
  '8',
];
const BUDGET = 10;
/** A clean stop cancels trials, saves the strategy and stops the trainers: seconds, even on a loaded machine. */
const PROMPTLY_MS = 15_000;
/** Two CPU cores shared with benchmarks: starting trainers alone can take 15 s. */
const SLOW = 150_000;

const finishedIds = (events: readonly SearchOrFleetEvent[]): number[] =>
  events.flatMap((e) => (e.type === 'trial-finished' ? [e.trialId] : []));

/** Trials started and not finished, by the events. */
function inFlight(events: readonly SearchOrFleetEvent[]): number[] {
  const done = new Set(finishedIds(events));
  return [
    ...new Set(events.flatMap((e) => (e.type === 'trial-started' ? [e.trialId] : []))),
  ].filter((id) => !done.has(id));
}

/** What the run directory holds: trials, the strategy journal and the search space. */
function readRun(dir: string): {
  trials: TrialRecord[];
  journal: JournalEntry[];
  byId: (id: number) => TrialRecord | undefined;
  space: SearchSpace;
} {
  const store = openRunStore(dir, { readonly: true });
  try {
    const trials = store.trials();
    return {
      trials,
      journal: store.journal.entriesAfter(0),
      byId: (id) => trials.find((t) => t.id === id),
      space: store.config().space,
    };
  } finally {
    store.close();
  }
}

afterEach(killLeftJobs);

async function expectGroupGone(pgid: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(groupAlive(pgid), `processes of nas-ctl's group ${pgid} are left`).toBe(false);
}

async function newRunDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'cellsearch-interrupt-')), 'run');
}

const exitCodeOf = (signal: NodeJS.Signals): number => 128 + constants.signals[signal];
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const isFinal = (t: TrialRecord): boolean => t.status === 'succeeded' || t.status === 'failed';

/**
 * The strategy continued exactly across the stop: a fresh one replaying the journal's asks and tells
 * proposes the very candidates the runs trained, and nothing was asked or told twice.
 */
function expectStrategyContinued(done: ReturnType<typeof readRun>, seed: number): void {
  const asks = done.journal.filter((e) => e.kind === 'ask').map((e) => e.candidateId);
  const tells = done.journal.filter((e) => e.kind === 'tell').map((e) => e.candidateId);
  expect(asks).toEqual(range(BUDGET));
  expect([...tells].sort((a, b) => a - b)).toEqual(range(BUDGET));
  const strategy = createEvolutionStrategy(defaultStrategyConfig('evolution', seed), done.space);
  const asked = new Map<number, Candidate>();
  for (const entry of done.journal) {
    if (entry.kind === 'ask') {
      const candidate = strategy.ask();
      expect(candidate.id).toBe(entry.candidateId);
      asked.set(candidate.id, candidate);
      continue;
    }
    const candidate = asked.get(entry.candidateId);
    expect(candidate).toBeDefined();
    if (candidate !== undefined) strategy.tell(candidate, entry.reward);
  }
  for (const t of done.trials) {
    const candidate = asked.get(t.candidateId);
    expect(candidate && genotypeHash(candidate.genotype)).toBe(t.hash);
    expect(done.journal).toContainEqual(
      expect.objectContaining({ kind: 'tell', candidateId: t.candidateId, reward: t.reward }),
    );
  }
}

describe('nas-ctl search, stopped and resumed', () => {
  it(
    'stops on Ctrl-C with its trainers, keeps every finished trial, and --resume finishes the budget where it left off',
    async () => {
      const dir = await newRunDir();
      const first = startSearchJob([
        '--strategy',
        'evolution',
        '--seed',
        '7',
        '--trials',
        String(BUDGET),
        '--local-trainers',
        '2',
        '--run-dir',
        dir,
        ...TINY,
      ]);
      await first.until(
        () => finishedIds(first.events).length >= 3 && inFlight(first.events).length > 0,
      );
      const sentAt = Date.now();
      process.kill(-first.pid, 'SIGINT'); // what a terminal's Ctrl-C does: the whole job gets it

      const exit = await first.ended;
      expect(exit).toMatchObject({ code: exitCodeOf('SIGINT'), signal: null });
      expect(exit.at - sentAt).toBeLessThan(PROMPTLY_MS);
      expect(first.stderr()).toMatch(
        new RegExp(
          `search stopped by SIGINT: \\d+ of ${BUDGET} trials finished, \\d+ interrupted .*; continue with: nas-ctl search --resume ${dir}`,
        ),
      );
      await expectGroupGone(first.pid, 2_000);

      const stopped = readRun(dir);
      const finishedBefore = stopped.trials.filter(isFinal);
      const interrupted = stopped.trials.filter((t) => !isFinal(t));
      // Every finished trial it reported is stored as reported; the ones it cancelled are queued
      // again: not 'running' (nothing runs them), not 'cancelled' (a final status: never re-run).
      expect(finishedBefore.map((t) => t.id).sort((a, b) => a - b)).toEqual(
        finishedIds(first.events).sort((a, b) => a - b),
      );
      for (const e of first.events)
        if (e.type === 'trial-finished')
          expect(stopped.byId(e.trialId)).toMatchObject({ status: e.status, reward: e.reward });
      expect(finishedBefore.length).toBeGreaterThanOrEqual(3);
      expect(interrupted.length).toBeGreaterThan(0);
      expect(interrupted.map((t) => t.status)).toEqual(interrupted.map(() => 'queued'));
      expect(stopped.trials.length).toBeLessThan(BUDGET);

      const second = startSearchJob(['--resume', dir, '--local-trainers', '1']);
      expect(await second.ended).toMatchObject({ code: 0, signal: null });
      await expectGroupGone(second.pid, 2_000);
      const done = readRun(dir);

      // The budget, exactly, all finished; one trial per candidate; the candidate ids continue
      // from where the stop left them, without a gap or a repeat.
      // (Succeeded or failed: whether the tiny networks train is the trainer tests' business.)
      expect(done.trials.filter(isFinal)).toHaveLength(BUDGET);
      expect(done.trials).toHaveLength(BUDGET);
      expect(done.trials.map((t) => t.candidateId).sort((a, b) => a - b)).toEqual(range(BUDGET));
      expect(done.trials.map((t) => t.finishOrder).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
        range(BUDGET),
      );
      // Finished trials are untouched (reward, finish order, times, ...).
      for (const t of finishedBefore) expect(done.byId(t.id)).toEqual(t);
      // The interrupted trials ran again after the resume, as the same candidates, and finished once.
      const resumedFinished = finishedIds(second.events);
      for (const t of interrupted) {
        expect(done.byId(t.id)).toMatchObject({ candidateId: t.candidateId, hash: t.hash });
        expect(done.byId(t.id)?.finishOrder).toBeGreaterThan(finishedBefore.length);
        expect(resumedFinished.filter((id) => id === t.id)).toHaveLength(1);
        expect(second.events).toContainEqual(
          expect.objectContaining({ type: 'trial-started', trialId: t.id }),
        );
      }
      // Across both runs every trial finished exactly once.
      expect([...finishedIds(first.events), ...resumedFinished].sort((a, b) => a - b)).toEqual(
        range(BUDGET),
      );

      expectStrategyContinued(done, 7);
    },
    SLOW,
  );

  it(
    'stops on SIGTERM too, and a second signal while it stops quits at once, losing no finished trial',
    async () => {
      const dir = await newRunDir();
      const run = startSearchJob([
        '--strategy',
        'random',
        '--trials',
        String(BUDGET),
        '--local-trainers',
        '1',
        '--run-dir',
        dir,
        ...TINY,
      ]);
      await run.until(() => finishedIds(run.events).length >= 1 && inFlight(run.events).length > 0);
      // To nas-ctl alone, as a supervisor sends it; the two land together, so the second one finds
      // the first stop in progress (Linux may deliver SIGINT first: the first one named decides).
      process.kill(run.pid, 'SIGTERM');
      process.kill(run.pid, 'SIGINT');
      const exit = await run.ended;

      const [, first, second] = /(SIG\w+): stopping[^]*?(SIG\w+) again: quitting now/.exec(
        run.stderr(),
      ) ?? [undefined, '', ''];
      expect([first, second].sort()).toEqual(['SIGINT', 'SIGTERM']);
      expect(exit).toMatchObject({ code: exitCodeOf(first as NodeJS.Signals), signal: null });
      // nas-ctl told its trainer to stop before quitting; it was not signalled by the sender.
      await expectGroupGone(run.pid, PROMPTLY_MS);

      const stored = readRun(dir);
      for (const e of run.events)
        if (e.type === 'trial-finished')
          expect(stored.byId(e.trialId)).toMatchObject({ status: e.status, reward: e.reward });
      // Quitting at once may leave trials as a kill -9 does ('running'); never finished by the stop.
      for (const t of stored.trials)
        if (!finishedIds(run.events).includes(t.id))
          expect(['queued', 'running']).toContain(t.status);
    },
    SLOW,
  );

  it(
    'stops the trainers it is still starting when SIGTERM comes before the search began',
    async () => {
      const dir = await newRunDir();
      const run = startSearchJob([
        '--trials',
        String(BUDGET),
        '--local-trainers',
        '1',
        '--run-dir',
        dir,
        ...TINY,
      ]);
      await run.until(() => trainersOf(run.pid).length > 0);
      process.kill(run.pid, 'SIGTERM');
      const exit = await run.ended;
      expect(exit).toMatchObject({ code: exitCodeOf('SIGTERM'), signal: null });
      // Stopped while the trainers start (the usual case), or just after, once the run was made.
      expect(run.stderr()).toMatch(
        new RegExp(
          `search stopped by SIGTERM(: 0 of ${BUDGET} trials finished; continue with| while its local trainers were starting)`,
        ),
      );
      expect(run.events).toEqual([]);
      await expectGroupGone(run.pid, 2_000);
      if (existsSync(join(dir, RUN_FILE))) expect(readRun(dir).trials).toEqual([]);
    },
    SLOW,
  );
});
