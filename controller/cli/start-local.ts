/**
 * The local trainers of `nas-ctl search`, started so that a Ctrl-C or SIGTERM meanwhile stops them,
 * with their logs in the run directory's logs/ folder.
 */
import { join } from 'node:path';
import {
  startLocalTrainers,
  type LocalTrainers,
  type TrainerExit,
} from '../search/local-trainers.ts';
import { printNote } from './progress-notes.ts';
import type { SearchPlan } from './search-plan.ts';
import { signalExitCode, type StopSignals } from './stop-signals.ts';

/** The folder of the local trainers' logs in run directory `dir`. */
export function trainerLogDir(dir: string): string {
  return join(dir, 'logs');
}

/**
 * Starts the local trainers, which get the token in their environment and log to
 * `<run>/logs/trainer-<n>.log`; null when a signal stopped them while they started (every one
 * started is stopped, and the exit code says which signal). One that dies later is reported in one
 * line naming its log file.
 */
export async function startLocal(
  plan: SearchPlan,
  backend: string,
  signals: StopSignals,
): Promise<LocalTrainers | null> {
  // A terminal's Ctrl-C reaches the trainers too: their exit then is part of the stop, not news.
  const onExit = (exit: TrainerExit): void => {
    if (signals.received() === null) printNote(exitLine(exit));
  };
  const options = {
    signal: signals.abort,
    logDir: trainerLogDir(plan.dir),
    onExit,
    ...(plan.token === undefined ? {} : { token: plan.token }),
  };
  try {
    const local = await startLocalTrainers(backend, plan.localCount, options);
    signals.onQuitStop(local);
    return local;
  } catch (err) {
    const signal = signals.received();
    if (signal === null) throw err;
    const again = plan.mode.resume ? `nas-ctl search --resume ${plan.dir}` : 'the same command';
    process.stderr.write(
      `nas-ctl: search stopped by ${signal} while its local trainers were starting; they are stopped and no trial ran; start again with ${again}\n`,
    );
    process.exitCode = signalExitCode(signal);
    return null;
  }
}

function exitLine(exit: TrainerExit): string {
  const said = exit.lastMessage === null ? '' : `: ${exit.lastMessage}`;
  return `nas-ctl: local trainer ${exit.n} (${exit.address}) exited (${exit.why})${said}; its log: ${exit.log}\n`;
}
