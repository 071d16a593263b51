/**
 * A trial runner that reports to the trainer's metrics what passes through it: each trial's start
 * and end, and every step its trial process announces (before the service thins steps out for the
 * caller). The runner and its trials are unchanged.
 */
import type { TrialRequest } from '../../shared/trial.ts';
import type { TrialHooks, TrialRunner } from '../runner/trial-runner.ts';
import type { TrainerMetrics, TrialOutcome } from './trainer-metrics.ts';

/** `runner`, with its trials observed by `metrics`. */
export function observedRunner(runner: TrialRunner, metrics: TrainerMetrics): TrialRunner {
  return async (request, hooks) => {
    const started = performance.now();
    let outcome: TrialOutcome = 'refused';
    metrics.trialStarted();
    try {
      const result = await runner(request, {
        ...hooks,
        onStep: stepObserver(request, hooks, metrics),
      });
      outcome = result.status;
      return result;
    } finally {
      metrics.trialEnded(outcome, (performance.now() - started) / 1000);
    }
  };
}

/**
 * The `onStep` hook that times steps and counts their images, then passes them on. A step's
 * duration is the time since the step before it in the same epoch; the first step of an epoch
 * follows setup or validation, so it has none.
 */
function stepObserver(
  request: TrialRequest,
  hooks: TrialHooks,
  metrics: TrainerMetrics,
): (step: number, totalSteps: number) => void {
  const { batchSize, epochs } = request.training;
  let previous: { readonly step: number; readonly at: number } | null = null;
  return (step, totalSteps) => {
    const now = performance.now();
    const stepsPerEpoch = Math.max(1, Math.round(totalSteps / epochs));
    const firstOfEpoch = (step - 1) % stepsPerEpoch === 0;
    const seconds =
      previous !== null && previous.step === step - 1 && !firstOfEpoch
        ? (now - previous.at) / 1000
        : null;
    previous = { step, at: now };
    metrics.stepTrained(batchSize, seconds);
    hooks.onStep?.(step, totalSteps);
  };
}
