/**
 * The progress the chaos campaign times its faults against (a search mid-way: k trials finished
 * and one running) and the checks of what nas-ctl printed (stack traces).
 */
import { describe, expect, it } from 'vitest';
import type { SearchEvent } from '../../controller/search/search-events.ts';
import { stackLines } from '../../scripts/chaos/ctl-command.ts';
import { midway, type TimedEvent } from '../../scripts/chaos/search-job.ts';

const started = (trialId: number, at: number): TimedEvent => ({
  at,
  event: { type: 'trial-started', trialId, trainer: '127.0.0.1:1', attempt: 1 },
});
const finished = (trialId: number, at: number): TimedEvent => {
  const event: SearchEvent = {
    type: 'trial-finished',
    trialId,
    hash: 'h',
    status: 'succeeded',
    reward: 0.5,
    reason: '',
    result: null,
    reused: false,
  };
  return { at, event };
};

describe('midway', () => {
  it('waits for the trials finished and a trial running, and names the newest running one', () => {
    const events = [started(1, 10), started(2, 11), finished(1, 20)];
    expect(midway([], 0)).toBeUndefined();
    expect(midway(events.slice(0, 1), 0)).toEqual(started(1, 10));
    expect(midway(events.slice(0, 2), 1)).toBeUndefined();
    expect(midway(events, 1)).toEqual(started(2, 11));
  });

  it('is not mid-way between trials or at the end: nothing runs', () => {
    expect(midway([started(1, 10), finished(1, 20)], 1)).toBeUndefined();
    expect(
      midway([started(1, 10), started(2, 11), finished(2, 12), finished(1, 20)], 0),
    ).toBeUndefined();
  });
});

describe('stackLines', () => {
  it('finds the frames of a stack trace, not a message that mentions "at"', () => {
    const stderr = [
      'nas-ctl: database or disk is full at run.sqlite',
      'Error: SQLITE_FULL',
      '    at Database.exec (/x/node_modules/better-sqlite3/lib/database.js:1:2)',
      '    at async main (file:///x/controller/cli.ts:3:4)',
    ].join('\n');
    expect(stackLines(stderr)).toHaveLength(2);
    expect(stackLines('nas-ctl: the disk is full at /tmp/run; free space, then --resume')).toEqual(
      [],
    );
  });
});
