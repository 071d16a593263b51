/**
 * A fake trial runner for the in-process server tests: the process edge it stands in for is tfjs.
 * It "trains" with timers, honours the abort signal between steps, and throws on request.
 */
import { formatDatasetSpec, parseDatasetSpec } from '../../shared/dataset-spec.ts';
import type { TrialResult } from '../../shared/trial.ts';
import { MissingDatasetFileError } from '../../trainer/data/errors.ts';
import type { TrialRunner } from '../../trainer/runner/trial-runner.ts';

/** What a fake trainer reports beside its status and epochs. */
export const FAKE_RESULT = Object.freeze({
  params: 10,
  bnStatistics: 4,
  multAdds: 20,
  backend: 'fake',
  device: 'fake',
  seconds: 0,
  testAccuracy: null,
  latency: null,
});

/** A dataset the fake runner fails to read, like a missing file. */
export const MISSING_DATASET = parseDatasetSpec('mnist:/throw/missing');
/** A dataset the fake runner fails on with a bug. */
export const BUGGY_DATASET = parseDatasetSpec('mnist:/throw/bug');

/**
 * A runner that "trains" `epochs x stepsPerEpoch` steps of `stepMs` each, honouring the signal;
 * {@link MISSING_DATASET} fails like a missing file, {@link BUGGY_DATASET} like a bug. Records each
 * dataset it is given, as its canonical string, in `seen`.
 */
export function fakeRunner(stepMs: number, seen: string[] = []): TrialRunner {
  return async (request, hooks) => {
    const dataset = formatDatasetSpec(request.dataset);
    seen.push(dataset);
    if (dataset === formatDatasetSpec(MISSING_DATASET))
      throw new MissingDatasetFileError('/data/missing.bin', 'training images');
    if (dataset === formatDatasetSpec(BUGGY_DATASET))
      throw new TypeError('a bug with a secret path /home/x');
    hooks.onPlanned?.({ params: 10, multAdds: 20 });
    const { epochs, stepsPerEpoch } = request.training;
    const done: TrialResult['epochs'][number][] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      for (let s = 1; s <= stepsPerEpoch; s++) {
        if (hooks.signal?.aborted === true)
          return {
            ...FAKE_RESULT,
            status: 'cancelled',
            reason: String(hooks.signal.reason),
            epochs: done,
          };
        await new Promise((resolve) => setTimeout(resolve, stepMs));
        hooks.onStep?.((epoch - 1) * stepsPerEpoch + s, epochs * stepsPerEpoch);
      }
      const metrics = {
        epoch,
        trainLoss: 1,
        trainAccuracy: 0.5,
        validationLoss: NaN,
        validationAccuracy: NaN,
        learningRate: 0.1,
        seconds: 0,
        imagesPerSecond: 1,
      };
      done.push(metrics);
      hooks.onEpoch?.(metrics);
    }
    return { ...FAKE_RESULT, status: 'succeeded', reason: '', epochs: done };
  };
}
