import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MedianStopping } from '../../controller/search/median-stopping.ts';
import { epochMetrics } from '../fixtures/run-store-fixtures.ts';

/** Epoch metrics 1..n with these validation accuracies. */
const curve = (...accuracies: number[]) => accuracies.map((a, i) => epochMetrics(i + 1, a));

describe('the median stopping rule', () => {
  it('lets every trial run until minTrials completed trials reached the epoch', () => {
    const rule = new MedianStopping({ minTrials: 3 });
    rule.ended(1, curve(0.6, 0.7));
    rule.ended(2, curve(0.6, 0.7));
    expect(rule.afterEpoch(9, epochMetrics(1, 0.1))).toEqual({ stop: false });
    rule.ended(3, curve(0.6)); // reached epoch 1 only
    expect(rule.afterEpoch(9, epochMetrics(2, 0.1))).toEqual({ stop: false });
    expect(rule.afterEpoch(10, epochMetrics(1, 0.1))).toMatchObject({ stop: true });
  });

  it('stops a trial below the median at an epoch, with its best accuracy so far as reward', () => {
    const rule = new MedianStopping({ minTrials: 3 });
    rule.ended(1, curve(0.2, 0.3));
    rule.ended(2, curve(0.4, 0.5));
    rule.ended(3, curve(0.6, 0.9));
    expect(rule.afterEpoch(4, epochMetrics(1, 0.4))).toEqual({ stop: false }); // at the median
    const verdict = rule.afterEpoch(4, epochMetrics(2, 0.45));
    expect(verdict).toEqual({
      stop: true,
      reward: 0.45,
      reason:
        'stopped early at epoch 2: best validation accuracy 45.0% is below the median 50.0% of 3 completed trials at that epoch',
    });
  });

  it('compares best-so-far curves, so a dip after a good epoch does not stop a trial', () => {
    const rule = new MedianStopping({ minTrials: 2 });
    rule.ended(1, curve(0.5, 0.55));
    rule.ended(2, curve(0.5, 0.55));
    expect(rule.afterEpoch(3, epochMetrics(1, 0.7))).toEqual({ stop: false });
    expect(rule.afterEpoch(3, epochMetrics(2, 0.1))).toEqual({ stop: false });
  });

  it('forgets the curve of an attempt when the trial starts over', () => {
    const rule = new MedianStopping({ minTrials: 2 });
    rule.ended(1, curve(0.5, 0.6));
    rule.ended(2, curve(0.5, 0.6));
    expect(rule.afterEpoch(3, epochMetrics(1, 0.9))).toEqual({ stop: false });
    // Another attempt from epoch 1: the 0.9 of the earlier attempt no longer counts.
    expect(rule.afterEpoch(3, epochMetrics(1, 0.3))).toMatchObject({ stop: true, reward: 0.3 });
  });

  it('takes only completed trials as references, and skips NaN accuracies', () => {
    const rule = new MedianStopping({ minTrials: 1 });
    rule.ended(1, null); // failed or stopped
    expect(rule.afterEpoch(2, epochMetrics(1, 0.1))).toEqual({ stop: false });
    rule.ended(3, curve(Number.NaN));
    expect(rule.afterEpoch(2, epochMetrics(1, 0.1))).toEqual({ stop: false });
    expect(rule.afterEpoch(4, epochMetrics(1, Number.NaN))).toEqual({ stop: false });
  });

  it('never stops a trial that is at least as good as every reference (property)', () => {
    const accuracy = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.array(accuracy, { minLength: 1, maxLength: 4 }), { maxLength: 12 }),
        fc.array(accuracy, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 5 }),
        (references, trial, minTrials) => {
          const rule = new MedianStopping({ minTrials });
          references.forEach((r, i) => rule.ended(i, curve(...r)));
          const best = Math.max(...references.flat(), 0);
          const lifted = trial.map((a) => Math.max(a, best));
          const verdicts = lifted.map((a, i) => rule.afterEpoch(-1, epochMetrics(i + 1, a)));
          expect(verdicts.every((v) => !v.stop)).toBe(true);
          // And a trial stopped is one below the median: its reward is below some reference.
          const low = new MedianStopping({ minTrials });
          references.forEach((r, i) => low.ended(i, curve(...r)));
          const v = low.afterEpoch(-2, epochMetrics(1, -1));
          const atEpoch1 = references.length;
          expect(v.stop).toBe(atEpoch1 >= minTrials);
        },
      ),
    );
  });
});
