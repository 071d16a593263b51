/**
 * How a trainer runs one trial, as the trial service sees it: a runner function, the hooks it
 * reports through, and whether it can train now. The server calls runners; runners (the trial
 * process pool, a test's fake) and the metrics that wrap them never import the server.
 */
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import type { TrialContext } from '../train/trial.ts';

/** What the service passes a runner: the trial's cancellation and progress listeners. */
export type TrialHooks = Omit<TrialContext, 'backend' | 'onTrained' | 'onFault'>;

/** How the service runs one trial: in a trial process (or a fake in tests). */
export type TrialRunner = (request: TrialRequest, hooks: TrialHooks) => Promise<TrialResult>;

/** Whether the trainer can train now (health SERVING), and news of each change. */
export interface Readiness {
  /** True while a trial can start. */
  ready(): boolean;
  /** Calls `listener` on each change; returns how to stop. */
  subscribe(listener: (ready: boolean) => void): () => void;
}

/** A runner that is always ready (one that runs in this process). */
export const ALWAYS_READY: Readiness = Object.freeze({
  ready: () => true,
  subscribe: () => () => undefined,
});
