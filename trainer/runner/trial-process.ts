/**
 * The server's handle on one trial process: starts it, waits for its backend, runs one trial at a
 * time in it, and stops it. Every message from the process is checked as it arrives
 * (runner-message-check.ts); a malformed one ends its trial as failed and the process is replaced. A trial whose process dies ends as failed; a cancelled trial whose
 * process does not stop within {@link CANCEL_GRACE_MS} has its process killed and ends as cancelled.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { packagePath } from '../../runtime/package-path.ts';
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import type { TrialHooks } from './trial-runner.ts';
import type { BackendInfo } from '../tf.ts';
import { RemoteStatusError, TrialProcessStartError } from './errors.ts';
import { parseFromRunner, RunnerMessageError } from './runner-message-check.ts';
import type { FromRunner, RunnerConfig, ToRunner } from './runner-protocol.ts';

/** How long a cancelled trial may take to stop before its process is killed. */
export const CANCEL_GRACE_MS = 5_000;

/** How long a trial process may take to load its backend (a native one takes seconds). */
const LOAD_TIMEOUT_MS = 120_000;

/** The nas-trainer entry point; the trial process is its hidden `trial-runner` command. */
const ENTRY = packagePath('bin', 'nas-trainer.js');

/** How a trial ended for the process that ran it: `replace` when the process must not run another. */
export interface ProcessOutcome {
  readonly result: TrialResult;
  readonly replace: boolean;
}

/** One trial process. */
export class TrialProcess {
  private readonly child: ChildProcess;
  private exited = false;
  private exitListeners: ((why: string) => void)[] = [];

  /** Resolves with the loaded backend; rejects with TrialProcessStartError when it cannot load. */
  readonly ready: Promise<BackendInfo>;

  constructor(config: RunnerConfig) {
    // The trial process's stdout goes to the server's stderr: the server's stdout carries only the
    // line that tools wait for.
    this.child = fork(ENTRY, ['trial-runner'], {
      stdio: ['ignore', 2, 2, 'ipc'],
      serialization: 'advanced',
    });
    this.child.once('exit', (code, signal) => {
      this.exited = true;
      const why = signal === null ? `exit code ${code ?? 'unknown'}` : `signal ${signal}`;
      for (const listener of this.exitListeners) listener(why);
      this.exitListeners = [];
    });
    this.ready = new Promise((resolve, reject) => {
      const timeout = setTimeout(() => {
        const message = `the trial process did not load its backend within ${LOAD_TIMEOUT_MS / 1000} s`;
        reject(new TrialProcessStartError({ name: 'Error', code: 'TRIAL_PROCESS_STUCK', message }));
        this.stop();
      }, LOAD_TIMEOUT_MS);
      const unlisten = this.onExit((why) => {
        clearTimeout(timeout);
        const message = `the trial process ended before its backend loaded (${why})`;
        reject(
          new TrialProcessStartError({ name: 'Error', code: 'TRIAL_PROCESS_EXITED', message }),
        );
      });
      const onMessage = (raw: unknown): void => {
        const message = checked(raw);
        if (message instanceof RunnerMessageError) {
          const { name, code } = message;
          reject(new TrialProcessStartError({ name, code, message: message.message }));
          this.stop();
        } else if (message.type === 'ready') resolve(message.backend);
        else if (message.type === 'start-failed')
          reject(new TrialProcessStartError(message.failure));
        else return;
        clearTimeout(timeout);
        this.child.off('message', onMessage);
        unlisten();
      };
      this.child.on('message', onMessage);
    });
    this.post({ type: 'configure', config });
  }

  /** The operating system's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Calls `listener` once when the process ends (at once if it has); returns how to stop listening. */
  onExit(listener: (why: string) => void): () => void {
    if (this.exited) {
      listener('it had already ended');
      return () => undefined;
    }
    this.exitListeners.push(listener);
    return () => {
      this.exitListeners = this.exitListeners.filter((l) => l !== listener);
    };
  }

  /**
   * Runs `request`; resolves with its result and whether this process must be replaced. Rejects with
   * RemoteStatusError when the trial process refused the request (bad input, an unreadable dataset).
   */
  run(request: TrialRequest, backend: BackendInfo, hooks: TrialHooks): Promise<ProcessOutcome> {
    return new Promise((resolve, reject) => {
      let planned = { params: 0, multAdds: 0 };
      let killTimer: NodeJS.Timeout | undefined;
      let unlistenExit = (): void => undefined;
      const finish = (): void => {
        clearTimeout(killTimer);
        unlistenExit();
        this.child.off('message', onMessage);
        hooks.signal?.removeEventListener('abort', onAbort);
      };
      const ended = (status: TrialResult['status'], reason: string): TrialResult => ({
        status,
        reason,
        epochs: [],
        testAccuracy: null,
        ...planned,
        bnStatistics: 0,
        latency: null,
        backend: backend.backend,
        device: backend.device,
        seconds: (performance.now() - started) / 1000,
      });
      const onMessage = (raw: unknown): void => {
        const message = checked(raw);
        if (message instanceof RunnerMessageError) {
          finish();
          this.stop();
          const reason = `${message.message}; the trainer replaced it`;
          return resolve({ result: ended('failed', reason), replace: true });
        }
        switch (message.type) {
          case 'planned':
            planned = { params: message.params, multAdds: message.multAdds };
            return hooks.onPlanned?.(planned);
          case 'step':
            return hooks.onStep?.(message.step, message.totalSteps);
          case 'epoch':
            return hooks.onEpoch?.(message.metrics);
          case 'result':
            finish();
            return resolve({ result: message.result, replace: !message.healthy });
          case 'refused':
            finish();
            return reject(new RemoteStatusError(message.status, message.healthy));
          case 'ready':
          case 'start-failed':
            return;
        }
      };
      const onAbort = (): void => {
        const reason = abortReason(hooks.signal);
        this.post({ type: 'cancel', reason });
        killTimer = setTimeout(() => {
          finish();
          this.stop();
          const stopped = `${reason} (its trial process did not stop within ${CANCEL_GRACE_MS / 1000} s and was killed)`;
          resolve({ result: ended('cancelled', stopped), replace: true });
        }, CANCEL_GRACE_MS);
      };
      const started = performance.now();
      this.child.on('message', onMessage);
      unlistenExit = this.onExit((why) => {
        finish();
        const reason = `the trial's process died (${why}); the trainer replaced it`;
        resolve({ result: ended('failed', reason), replace: true });
      });
      if (hooks.signal?.aborted) onAbort();
      else hooks.signal?.addEventListener('abort', onAbort, { once: true });
      const { datasetLimits } = hooks;
      this.post({
        type: 'run',
        request,
        ...(datasetLimits === undefined ? {} : { datasetLimits }),
      });
    });
  }

  /** Kills the process (SIGKILL: it may be stuck in a native call); idempotent. */
  stop(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private post(message: ToRunner): void {
    if (this.child.connected) this.child.send(message);
  }
}

/** What a trial process sent, checked where it arrives, or what was wrong with it. */
function checked(raw: unknown): FromRunner | RunnerMessageError {
  try {
    return parseFromRunner(raw);
  } catch (err) {
    if (err instanceof RunnerMessageError) return err;
    throw err;
  }
}

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return typeof reason === 'string'
    ? reason
    : reason instanceof Error
      ? reason.message
      : 'cancelled';
}
