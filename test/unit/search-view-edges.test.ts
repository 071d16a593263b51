/**
 * The search view at the edges of a terminal: a block that must fit a short, narrow screen,
 * notes written to stderr while the block is drawn (a Ctrl-C notice), and failure reasons that are
 * long or span several lines.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SearchSession } from '../../controller/search/search-session.ts';
import { finishedLine } from '../../controller/cli/search-format.ts';
import { createSearchView } from '../../controller/cli/search-view.ts';
import { listenForStopSignals } from '../../controller/cli/stop-signals.ts';
import type { TrialFinishedEvent } from '../../controller/search/search-events.ts';
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

const count = (lines: string[], start: string): number =>
  lines.filter((l) => l.startsWith(start)).length;

describe('search view on a small terminal', () => {
  it('keeps the block within the screen when the status wraps, so redraws leave nothing behind', async () => {
    const [columns, rows] = [20, 10];
    const { sink, streams } = terminal(columns, rows);
    const view = createSearchView({ ...START, mode: 'tty', streams, now: () => T0 });
    for (let id = 1; id <= 8; id++) view.update(started(id), LOAD);
    view.update(epoch(1, 1), LOAD);
    view.update(finished(2, 0.5), LOAD);
    view.update(epoch(3, 1), LOAD);
    view.update(started(9), LOAD);
    const screen = await renderScreen(sink.text, columns, rows);
    view.stop();
    // One status (its first line starts `search`), one finished trial, and the block below it.
    expect(count(screen, 'search ')).toBe(1);
    expect(count(screen, 'trial 2 ')).toBe(1);
    const block = screen.slice(screen.findIndex((l) => l.startsWith('search ')));
    expect(block.length).toBeLessThanOrEqual(rows - 1);
    expect(block.at(-1)).toMatch(/^ {2}\.\.\. and \d+ mor/);
  });

  it('on a terminal only a few rows high, shows the status and no running trial', async () => {
    const { sink, streams } = terminal(20, 4);
    const view = createSearchView({ ...START, mode: 'tty', streams, now: () => T0 });
    for (let id = 1; id <= 3; id++) view.update(started(id), LOAD);
    view.update(finished(1, 0.5), LOAD);
    const screen = await renderScreen(sink.text, 20, 4);
    view.stop();
    expect(count(screen, 'search ')).toBe(1);
    expect(screen.slice(screen.findIndex((l) => l.startsWith('search '))).length).toBe(3);
  });
});

describe('notes on stderr while the block is drawn', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the Ctrl-C notice above the block and leaves no stale status line', async () => {
    const { sink, streams } = terminal(100, 20);
    // stderr is the terminal the block is drawn on.
    vi.spyOn(process.stderr, 'write').mockImplementation((t) => streams.err.write(String(t)));
    const view = createSearchView({ ...START, mode: 'tty', streams, now: () => T0 });
    view.update(started(1), LOAD);
    view.update(started(2), LOAD);
    const before = process.listeners('SIGINT');
    const signals = listenForStopSignals('runs/x');
    try {
      signals.onQuit({} as SearchSession);
      const onSignal = process.listeners('SIGINT').find((l) => !before.includes(l));
      onSignal?.('SIGINT');
      view.update(epoch(1, 1), LOAD);
    } finally {
      signals.dispose();
    }
    const screen = await renderScreen(sink.text, 100, 20);
    view.stop();
    expect(count(screen, 'nas-ctl: SIGINT: stopping')).toBe(1);
    expect(count(screen, 'search ')).toBe(1);
    expect(count(screen, '  trial 1')).toBe(1);
    expect(screen.slice(-3)).toEqual([
      'search 0/10 (0.00%) | best - | 0.0 trials/min | trainers 2/2 busy | elapsed 0s | ETA -',
      '  trial 1  epoch 2/3  val 50.00%  on t1:1',
      '  trial 2  epoch 1/3  on t2:1',
    ]);
  });
});

describe('reasons of failed trials', () => {
  const failed = (reason: string) => finished(3, null, reason) as TrialFinishedEvent;

  it('shows one line of the reason, without the trainer address and stack', () => {
    const line = finishedLine(
      failed('trainer 127.0.0.1:50051: out of memory\n    at Trainer.train (trainer.ts:12)\n'),
    );
    expect(line).toBe('trial 3 failed    reward      -  h3  (out of memory)');
  });

  it('cuts a long reason to the terminal width, and to a readable length in a log', () => {
    const long = `shape mismatch ${'x'.repeat(1000)}`;
    const onTerminal = finishedLine(failed(long), 60);
    expect(onTerminal).toHaveLength(59);
    expect(onTerminal).toMatch(/^trial 3 failed +reward +- +h3 {2}\(shape mismatch x+…$/);
    const inLog = finishedLine(failed(long));
    expect(inLog).not.toContain('\n');
    expect(inLog.length).toBeLessThan(300);
  });
});
