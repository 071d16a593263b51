/**
 * The search's live view: the facts its state computes (done, best, rate, ETA, running trials'
 * epochs, a resumed run), their text, and both renderings over fake streams with a fake clock —
 * the terminal one through a headless xterm, the log one line by line.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchProgress } from '../../controller/cli/search-progress.ts';
import {
  runningLines,
  runningSummary,
  statusLine,
  trialEpoch,
} from '../../controller/cli/search-format.ts';
import { createSearchView } from '../../controller/cli/search-view.ts';
import {
  epoch,
  finished,
  LOAD,
  START,
  started,
  T0,
  terminal,
} from '../fixtures/search-view-events.ts';
import { renderScreen } from '../fixtures/terminal-screen.ts';

/** An accuracy as trainers report it: a fraction, or NaN without a validation split. */
const ACCURACY = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN));
const BROKEN = /\{[a-z_]+\}|NaN|undefined|Infinity|null/;

describe('search progress and its status line', () => {
  it('counts done, keeps the best, and estimates rate and ETA from this session', () => {
    const p = new SearchProgress({ ...START, startedAt: T0 });
    for (const e of [started(1), started(2), finished(1, 0.831), finished(2, 0.5)])
      p.apply(e, LOAD);
    const s = p.status(T0 + 60_000);
    expect(s).toMatchObject({ done: 2, best: 0.831, trialsPerMinute: 2, etaMs: 4 * 60_000 });
    expect(statusLine(s)).toBe(
      'search 2/10 (20.00%) | best 83.10% | 2.0 trials/min | trainers 2/2 busy | elapsed 1m00s | ETA 4m00s',
    );
  });

  it('counts a resumed run’s earlier trials as done but not in the rate, and keeps their best', () => {
    const p = new SearchProgress({ ...START, alreadyFinished: 6, best: 0.9, startedAt: T0 });
    expect(statusLine(p.status(T0 + 30_000))).toBe(
      'search 6/10 (60.00%) | best 90.00% | 0.0 trials/min | trainers 2/2 busy | elapsed 30s | ETA -',
    );
    p.apply(finished(7, 0.7), { busy: 1, total: 2, down: 1 });
    const s = p.status(T0 + 30_000);
    expect(s.trialsPerMinute).toBe(2);
    expect(statusLine(s)).toBe(
      'search 7/10 (70.00%) | best 90.00% | 2.0 trials/min | trainers 1/2 busy, 1 down | elapsed 30s | ETA 1m30s',
    );
  });

  it('shows no total for an open-ended search, and an ETA only when --time ends it', () => {
    const open = new SearchProgress({ ...START, total: null, startedAt: T0 });
    open.apply(finished(1, 0.4), LOAD);
    expect(statusLine(open.status(T0 + 60_000))).toBe(
      'search 1 done | best 40.00% | 1.0 trials/min | trainers 2/2 busy | elapsed 1m00s',
    );
    const timed = new SearchProgress({
      ...START,
      total: null,
      deadline: T0 + 3_600_000,
      startedAt: T0,
    });
    expect(statusLine(timed.status(T0 + 60_000))).toMatch(/\| elapsed 1m00s \| ETA 59m00s$/);
    // With both a budget and --time, whichever comes first.
    const both = new SearchProgress({ ...START, deadline: T0 + 90_000, startedAt: T0 });
    both.apply(finished(1, 0.4), LOAD);
    expect(both.status(T0 + 60_000).etaMs).toBe(30_000);
  });

  it('follows each running trial’s epoch until it finishes or is re-dispatched', () => {
    const p = new SearchProgress({ ...START, startedAt: T0 });
    p.apply(started(7), LOAD);
    p.apply(started(8), LOAD);
    p.apply(epoch(7, 1, 0.4531), LOAD);
    const s = p.status(T0);
    expect(s.running.map((t) => trialEpoch(t, 3))).toEqual(['epoch 2/3', 'epoch 1/3']);
    expect(runningLines(s, 5)).toEqual([
      '  trial 7  epoch 2/3  val 45.31%  on t7:1',
      '  trial 8  epoch 1/3  on t8:1',
    ]);
    expect(runningSummary(s)).toBe('running trial 7 epoch 2/3, trial 8 epoch 1/3');
    p.apply(epoch(7, 3), LOAD);
    expect(trialEpoch(p.status(T0).running[0]!, 3)).toBe('epoch 3/3 done');
    p.apply({ type: 'trial-retry', trialId: 8, trainer: 't8:1', reason: 'gone' }, LOAD);
    p.apply(finished(7, 0.5), LOAD);
    expect(runningSummary(p.status(T0))).toBe('no trial running');
  });

  it('lists at most the running trials that fit, then how many more run', () => {
    const p = new SearchProgress({ ...START, startedAt: T0 });
    for (let id = 1; id <= 5; id++) p.apply(started(id), LOAD);
    const lines = runningLines(p.status(T0), 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('  ... and 3 more trials running');
  });

  it('never shows a placeholder, NaN, Infinity or undefined, whatever the events', () => {
    const event = fc.oneof(
      fc.nat(5).map(started),
      fc
        .tuple(fc.nat(5), fc.integer({ min: 1, max: 4 }), ACCURACY)
        .map(([t, n, a]) => epoch(t, n, a)),
      fc
        .tuple(fc.nat(5), fc.option(fc.double({ min: 0, max: 1, noNaN: true })))
        .map(([t, r]) => finished(t, r)),
    );
    const start = fc.record({
      total: fc.option(fc.nat(20)),
      alreadyFinished: fc.nat(20),
      elapsed: fc.nat(10_000_000),
    });
    fc.assert(
      fc.property(
        start,
        fc.array(event, { maxLength: 30 }),
        ({ total, alreadyFinished, elapsed }, events) => {
          const p = new SearchProgress({ ...START, total, alreadyFinished, startedAt: T0 });
          for (const e of events) p.apply(e, LOAD);
          const s = p.status(T0 + elapsed);
          for (const line of [statusLine(s), runningSummary(s), ...runningLines(s, 4)])
            expect(line).not.toMatch(BROKEN);
        },
      ),
    );
  });
});

describe('search view', () => {
  afterEach(() => vi.useRealTimers());

  it('on a terminal: finished trials above, one live status and the running trials below', async () => {
    const { sink, streams } = terminal();
    const clock = { now: T0 };
    const view = createSearchView({ ...START, mode: 'tty', streams, now: () => clock.now });
    view.update(started(1), LOAD);
    view.update(started(2), LOAD);
    view.update(epoch(1, 1), LOAD);
    clock.now += 30_000;
    view.update(finished(1, 0.831), { busy: 1, total: 2, down: 0 });
    view.update(started(3), LOAD);
    let screen = await renderScreen(sink.text, 100, 20);
    expect(screen).toEqual([
      'trial 1 succeeded reward 83.10%  h1',
      'search 1/10 (10.00%) | best 83.10% | 2.0 trials/min | trainers 2/2 busy | elapsed 30s | ETA 4m30s',
      '  trial 2  epoch 1/3  on t2:1',
      '  trial 3  epoch 1/3  on t3:1',
    ]);
    view.stop();
    screen = await renderScreen(sink.text, 100, 20);
    expect(screen).toEqual([
      'trial 1 succeeded reward 83.10%  h1',
      'search 1/10 (10.00%) | best 83.10% | 2.0 trials/min | trainers 2/2 busy | elapsed 30s | ETA 4m30s',
    ]);
  });

  it('on a narrow terminal: the status packs into lines that fit, nothing wraps', async () => {
    const { sink, streams } = terminal(40, 20);
    const view = createSearchView({ ...START, mode: 'tty', streams, now: () => T0 });
    view.update(started(1), LOAD);
    const screen = await renderScreen(sink.text, 40, 20);
    expect(screen).toEqual([
      'search 0/10 (0.00%) | best -',
      '0.0 trials/min | trainers 2/2 busy',
      'elapsed 0s | ETA -',
      '  trial 1  epoch 1/3  on t1:1',
    ]);
    view.stop();
  });

  it('in a log: timestamped trial lines and a status line with the same facts', () => {
    vi.useFakeTimers();
    const out: string[] = [];
    const err: string[] = [];
    const clock = { now: T0 };
    const streams = {
      out: { write: (t: string) => out.push(t) > 0 },
      err: { write: (t: string) => err.push(t) > 0 },
    };
    const view = createSearchView({ ...START, mode: 'lines', streams, now: () => clock.now });
    view.update(started(1), LOAD);
    clock.now += 30_000;
    view.update(finished(1, 0.831), LOAD);
    view.update(
      { type: 'trial-retry', trialId: 2, trainer: 't2:1', reason: 'trainer t2:1 gone' },
      LOAD,
    );
    expect(out).toEqual([
      '2026-12-03T14:02:41Z trial 1 succeeded reward 83.10%  h1\n',
      '2026-12-03T14:02:41Z trial 2 re-dispatched: trainer t2:1 gone\n',
    ]);
    expect(err).toEqual([
      '2026-12-03T14:02:11Z search 0/10 (0.00%) | best - | 0.0 trials/min | trainers 2/2 busy | elapsed 0s | ETA -\n',
      '2026-12-03T14:02:41Z search 1/10 (10.00%) | best 83.10% | 2.0 trials/min | trainers 2/2 busy | elapsed 30s | ETA 4m30s\n',
    ]);
    // A status line at least once a minute while trials run and none finishes.
    view.update(started(3), LOAD);
    view.update(epoch(3, 1), LOAD);
    clock.now += 65_000;
    vi.advanceTimersByTime(65_000);
    expect(err[2]).toBe(
      '2026-12-03T14:03:46Z search 1/10 (10.00%) | best 83.10% | 0.6 trials/min | trainers 2/2 busy | elapsed 1m35s | ETA 14m15s | running trial 3 epoch 2/3\n',
    );
    view.stop();
    expect(err).toHaveLength(3);
  });

  it('with --progress none: the finished trials as they are, and no status', () => {
    const { sink, streams } = terminal();
    const view = createSearchView({ ...START, mode: 'none', streams, now: () => T0 });
    view.update(started(1), LOAD);
    view.update(finished(1, 0.5), LOAD);
    view.stop();
    expect(sink.text).toBe('trial 1 succeeded reward 50.00%  h1\n');
  });
});
