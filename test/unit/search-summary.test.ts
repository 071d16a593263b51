/** The summary `nas-ctl search` ends with: counts, the commonest failure reasons, and whether it found nothing. */
import { describe, expect, it } from 'vitest';
import { readableReason, summarizeSearch } from '../../controller/cli/search-summary.ts';

const COUNTS = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };

describe('summarizeSearch', () => {
  it('counts a search with some failures and does not call it a failure', () => {
    const summary = summarizeSearch({ ...COUNTS, succeeded: 3, failed: 2, cancelled: 1 }, [
      'trainer 10.0.0.1:50051: UNAVAILABLE: gone',
      'trainer 10.0.0.2:50051: UNAVAILABLE: gone',
    ]);
    expect(summary.allFailed).toBe(false);
    expect(summary.lines).toEqual([
      'summary: 6 trials finished: 3 succeeded, 2 failed, 1 cancelled',
      '  2 x UNAVAILABLE: gone',
    ]);
  });

  it('says so when every trial failed, commonest reason first, numbers aside', () => {
    const reasons = [
      'non-finite loss at step 3',
      'the trial needs about 1.5 TiB, more than 4 GiB',
      'non-finite loss at step 9',
      'the trial needs about 2.25 TiB, more than 4 GiB',
      'non-finite loss at step 3',
    ];
    const summary = summarizeSearch({ ...COUNTS, failed: 5 }, reasons);
    expect(summary.allFailed).toBe(true);
    expect(summary.lines).toEqual([
      'summary: 5 trials finished: 0 succeeded, 5 failed',
      '  3 x non-finite loss at step 3 (numbers vary)',
      '  2 x the trial needs about 1.5 TiB, more than 4 GiB (numbers vary)',
      'nas-ctl: every trial failed, so the search found nothing',
    ]);
  });

  it('lists three reasons and counts the rest in one line', () => {
    const reasons = ['a', 'b', 'b', 'c', 'c', 'c', 'd', 'e', 'e'];
    const { lines } = summarizeSearch({ ...COUNTS, succeeded: 1, failed: 9 }, reasons);
    expect(lines.slice(1)).toEqual([
      '  3 x c',
      '  2 x b',
      '  2 x e',
      '  2 more failed for 2 other reasons (nas-ctl status shows every trial)',
    ]);
  });

  it('is no failure when nothing finished (a search stopped before its first result)', () => {
    expect(summarizeSearch(COUNTS, []).allFailed).toBe(false);
  });
});

describe('readableReason', () => {
  it('keeps one line of a reason, without the trainer address, cut to a readable length', () => {
    expect(readableReason('trainer [::1]:50051: INTERNAL: boom\n    at f (x.ts:1)')).toBe(
      'INTERNAL: boom',
    );
    expect(readableReason('  ')).toBe('(no reason given)');
    const long = readableReason('x'.repeat(1000));
    expect(long).toHaveLength(243);
    expect(long.endsWith('...')).toBe(true);
  });
});
