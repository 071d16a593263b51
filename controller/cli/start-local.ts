/** The local trainers of `nas-ctl search`, started so that a Ctrl-C or SIGTERM meanwhile stops them. */
import { startLocalTrainers, type LocalTrainers } from '../search/local-trainers.ts';
import type { SearchPlan } from './search-plan.ts';
import { signalExitCode, type StopSignals } from './stop-signals.ts';

/**
 * Starts the local trainers, which get the token in their environment; null when a signal stopped
 * them while they started (every one started is stopped, and the exit code says which signal).
 */
export async function startLocal(
  plan: SearchPlan,
  backend: string,
  signals: StopSignals,
): Promise<LocalTrainers | null> {
  const options = {
    signal: signals.abort,
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
