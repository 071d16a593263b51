/**
 * The training view: its state (epoch from the step, running loss, ETA from the steps done), the
 * bar's text at any width, and both renderings over fake streams with a fake clock.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrialRequest } from '../../shared/trial-request.ts';
import type { EpochMetrics, TrialResult } from '../../shared/trial.ts';
import type { TrialEvent } from '../../shared/trial-events.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import {
  currentEpoch,
  trainBar,
  trainFacts,
  TrainProgress,
} from '../../controller/cli/train-progress.ts';
import { createTrainView } from '../../controller/cli/train-view.ts';
import { printNote } from '../../controller/cli/progress-notes.ts';
import { renderScreen } from '../fixtures/terminal-screen.ts';

/** An accuracy as trainers report it: a fraction, or NaN without a validation split. */
const ACCURACY = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN));
const BROKEN = /\{[a-z_]+\}|NaN|undefined|Infinity|null|NFs|LLs/;
const T0 = Date.UTC(2026, 11, 3, 14, 2, 11);

const step = (n: number, loss?: number, accuracy?: number, totalSteps = 12): TrialEvent => ({
  type: 'step',
  step: n,
  totalSteps,
  ...(loss === undefined ? {} : { loss }),
  ...(accuracy === undefined ? {} : { accuracy }),
});
const metrics = (epoch: number, validation: number): EpochMetrics => ({
  epoch,
  trainLoss: 1.25,
  trainAccuracy: 0.5,
  validationLoss: validation,
  validationAccuracy: validation,
  learningRate: 0.0125,
  seconds: 2,
  imagesPerSecond: 64,
});
const result: TrialResult = {
  status: 'succeeded',
  reason: '',
  epochs: [metrics(1, 0.4), metrics(2, 0.45)],
  testAccuracy: 0.44,
  params: 9778,
  bnStatistics: 0,
  multAdds: 470_208,
  latency: null,
  backend: 'wasm',
  device: 'cpu',
  seconds: 8,
};

describe('training progress', () => {
  it('derives the epoch from the step and estimates the rest from the steps done', () => {
    const p = new TrainProgress(3, T0);
    p.apply(
      { type: 'started', backend: 'wasm', device: 'cpu', params: 1, multAdds: 1 },
      T0 + 5_000,
    );
    p.apply(step(5, 1.2345, 0.4521), T0 + 15_000);
    const s = p.status(T0 + 15_000);
    expect(currentEpoch(s)).toBe(2);
    // 5 steps in the 10 s since training began: 7 more take 14 s.
    expect(s.etaMs).toBe(14_000);
    expect(trainFacts(s)).toBe(
      '41.67% | epoch 2/3 | step 5/12 | loss 1.2345 acc 45.21% | elapsed 15s | ETA 14s',
    );
    p.apply({ type: 'epoch', metrics: metrics(1, 0.4) }, T0 + 16_000);
    expect(trainFacts(p.status(T0 + 16_000))).toContain('| val 40.00% |');
    expect(currentEpoch({ ...s, step: 4 })).toBe(1);
    expect(currentEpoch({ ...s, step: 12 })).toBe(3);
  });

  it('shows the last epoch’s loss when steps carry none, and no validation without a split', () => {
    const p = new TrainProgress(3, T0);
    p.apply({ type: 'epoch', metrics: metrics(1, Number.NaN) }, T0);
    p.apply(step(6), T0 + 1000);
    expect(trainFacts(p.status(T0 + 1000))).toBe(
      '50.00% | epoch 2/3 | step 6/12 | loss 1.2500 acc 50.00% | elapsed 1s | ETA 1s',
    );
  });

  it('fits the bar to the terminal and packs the facts into lines when it cannot', () => {
    const p = new TrainProgress(3, T0);
    p.apply(step(6, 1, 0.5), T0 + 6000);
    const s = p.status(T0 + 6000);
    expect(trainBar(s, 120)).toEqual([
      `training [${'#'.repeat(15)}${'-'.repeat(15)}] 50.00% | epoch 2/3 | step 6/12 | loss 1.0000 acc 50.00% | elapsed 6s | ETA 6s`,
    ]);
    expect(trainBar(s, 40)).toEqual([
      'training | 50.00% | epoch 2/3',
      'step 6/12 | loss 1.0000 acc 50.00%',
      'elapsed 6s | ETA 6s',
    ]);
  });

  it('never shows a placeholder, NaN, Infinity or undefined, whatever the events', () => {
    const event = fc.oneof(
      fc.record({ type: fc.constant('step' as const), step: fc.nat(20), totalSteps: fc.nat(20) }),
      ACCURACY.map((v): TrialEvent => ({ type: 'epoch', metrics: metrics(1, v) })),
    );
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 10 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(1e7),
        (events, epochs, t) => {
          const p = new TrainProgress(epochs, T0);
          for (const e of events) p.apply(e, T0 + t / 2);
          for (const width of [20, 80, 200])
            for (const line of trainBar(p.status(T0 + t), width)) expect(line).not.toMatch(BROKEN);
        },
      ),
    );
  });
});

const request = parseTrialRequest({
  genotype: NASNET_A,
  network: { cells: 1, filters: 48, skeleton: 'cifar', auxHead: false },
  training: { epochs: 2 },
  dataset: 'synthetic',
});
const events: TrialEvent[] = [
  { type: 'started', backend: 'wasm', device: 'cpu', params: 9778, multAdds: 470_208 },
  step(3, 1.5, 0.25, 6),
  { type: 'epoch', metrics: metrics(1, 0.4) },
  step(5, 1.1, 0.5, 6),
];

describe('training view', () => {
  it('on a terminal: one bar over the whole training below the epoch lines, gone at the end', async () => {
    const sink = { text: '' };
    const stream = () => ({ columns: 120, write: (t: string) => ((sink.text += t), true) });
    const clock = { now: T0 };
    const view = createTrainView(request, {
      mode: 'tty',
      streams: { out: stream(), err: stream() },
      now: () => clock.now,
    });
    for (const e of events) {
      clock.now += 2000;
      view.update(e);
    }
    let screen = await renderScreen(sink.text, 120, 20);
    // The first line (training on ...) wraps at 120 columns.
    expect(screen.slice(2)).toEqual([
      'epoch 1/2  train loss 1.2500 acc 50.00%  val loss 0.4000 acc 40.00%  lr 1.25e-2  2.0s  64.0 img/s',
      `training [${'#'.repeat(15)}---] 83.33% | epoch 2/2 | step 5/6 | loss 1.1000 acc 50.00% | val 40.00% | elapsed 8s | ETA 1s`,
    ]);
    view.update({ type: 'result', result });
    view.stop();
    screen = await renderScreen(sink.text, 120, 20);
    expect(screen.at(-1)).toBe(
      'done in 8.0s: best validation accuracy 45.00%, test accuracy 44.00%',
    );
    expect(screen.join('\n')).not.toContain('training [');
  });

  it('on a terminal: what the trainer prints on stderr goes above the bar', async () => {
    const sink = { text: '' };
    const stream = () => ({ columns: 120, write: (t: string) => ((sink.text += t), true) });
    const view = createTrainView(request, {
      mode: 'tty',
      streams: { out: stream(), err: stream() },
      now: () => T0,
    });
    view.update(step(1, 1.5, 0.25, 6));
    printNote('a warning from the trainer\n');
    view.update(step(2, 1.4, 0.25, 6));
    view.stop();
    const screen = await renderScreen(sink.text, 120, 20);
    expect(screen).toEqual(['a warning from the trainer']);
    expect(sink.text).toContain('step 2/6');
  });

  it('in a log: timestamped lines, each epoch’s with elapsed time and ETA', () => {
    const out: string[] = [];
    const clock = { now: T0 };
    const streams = { out: { write: (t: string) => out.push(t) > 0 }, err: { write: () => true } };
    const view = createTrainView(request, { mode: 'lines', streams, now: () => clock.now });
    for (const e of events) {
      clock.now += 2000;
      view.update(e);
    }
    // A long epoch gets a progress line once a minute.
    clock.now += 61_000;
    view.update(step(6, 1, 0.5, 6));
    view.stop();
    expect(out).toEqual([
      '2026-12-03T14:02:13Z training on wasm (cpu): 9,778 parameters, 470,208 multiply-adds, 2 epochs on synthetic:classes=10,size=32,train=5000,test=1000,seed=0, network 1@48 cifar skeleton\n',
      '2026-12-03T14:02:17Z epoch 1/2  train loss 1.2500 acc 50.00%  val loss 0.4000 acc 40.00%  lr 1.25e-2  2.0s  64.0 img/s | elapsed 6s | ETA 4s\n',
      '2026-12-03T14:03:20Z training 100.00% | epoch 2/2 | step 6/6 | loss 1.0000 acc 50.00% | val 40.00% | elapsed 1m09s | ETA 0s\n',
    ]);
  });

  it('with --progress none: the epoch lines and the summary as they are, no bar', () => {
    const out: string[] = [];
    const streams = { out: { write: (t: string) => out.push(t) > 0 }, err: { write: () => true } };
    const view = createTrainView(request, { mode: 'none', streams, now: () => T0 });
    for (const e of events.slice(1)) view.update(e);
    view.update({ type: 'result', result });
    view.stop();
    expect(out).toEqual([
      'epoch 1/2  train loss 1.2500 acc 50.00%  val loss 0.4000 acc 40.00%  lr 1.25e-2  2.0s  64.0 img/s\n',
      'done in 8.0s: best validation accuracy 45.00%, test accuracy 44.00%\n',
    ]);
  });
});
