import { describe, expect, it } from 'vitest';
import { searchStopReason } from '../../controller/cli/search-summary.ts';
import { trainSummaryEvent } from '../../controller/cli/train-summary.ts';
import { frozenSearch } from '../../controller/metrics/final-metrics.ts';
import type { ObservedSearch } from '../../controller/metrics/controller-metrics.ts';

const counts = (succeeded: number, failed = 0) => ({
  queued: 0,
  running: 0,
  succeeded,
  failed,
  cancelled: 0,
});
const network = { cells: 1, filters: 24, skeleton: 'cifar', auxHead: false } as const;

describe('searchStopReason', () => {
  it('is the budget once it is spent, even with a late signal; else the signal, else --time', () => {
    expect(searchStopReason(counts(3, 1), 4, 'SIGINT')).toBe('budget');
    expect(searchStopReason(counts(2), 4, 'SIGTERM')).toBe('SIGTERM');
    expect(searchStopReason(counts(2), 4, null)).toBe('time');
    expect(searchStopReason(counts(2), null, null)).toBe('time');
  });
});

describe('trainSummaryEvent', () => {
  it('says a training a signal stopped before a result was stopped, naming the signal', () => {
    const event = trainSummaryEvent(
      { error: 'training stopped by SIGINT before it finished', signal: 'SIGINT' },
      { outDir: '/tmp/m', network, durationMs: 1234.4 },
    );
    expect(event).toEqual({
      type: 'summary',
      command: 'train',
      outDir: '/tmp/m',
      network,
      durationSeconds: 1.234,
      status: 'stopped',
      stopReason: 'SIGINT',
      reason: 'training stopped by SIGINT before it finished',
      epochs: 0,
      bestValidationAccuracy: null,
      testAccuracy: null,
    });
  });
});

describe('frozenSearch', () => {
  it('keeps the last counts and best trial after the store changes, and no trainer', () => {
    let queued = 2;
    const live: ObservedSearch = {
      pool: { trainerStates: () => [] },
      store: {
        counts: () => ({ ...counts(1), queued }),
        bestTrials: () => [],
      },
    };
    const frozen = frozenSearch(live);
    queued = 0;
    expect(frozen?.store.counts().queued).toBe(2);
    expect(frozen?.pool.trainerStates()).toEqual([]);
  });

  it('is null when the store cannot be read', () => {
    const broken: ObservedSearch = {
      pool: { trainerStates: () => [] },
      store: {
        counts: () => {
          throw new Error('SQLITE_FULL');
        },
        bestTrials: () => [],
      },
    };
    expect(frozenSearch(broken)).toBeNull();
  });
});
