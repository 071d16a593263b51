/**
 * Ctrl-C (SIGINT) and SIGTERM for `nas-ctl search`: the first signal stops the search cleanly (the
 * pipeline cancels the trials in flight and queues them again), a second one quits at once once the
 * current turn's writes are committed. Listening starts before local trainers do, so a signal while
 * they start stops them too instead of orphaning them.
 */
import { ReplaySubject, type Observable } from 'rxjs';
import { constants } from 'node:os';
import type { SearchSession } from '../search/search-session.ts';
import type { LocalTrainers } from '../search/local-trainers.ts';
import { printNote } from './progress-notes.ts';

/** SIGINT (Ctrl-C) and SIGTERM, for the whole command: the first stops the search, a second quits at once. */
export interface StopSignals {
  /** The first signal, replayed to a late subscriber (it may come while the session opens). */
  readonly first$: Observable<NodeJS.Signals>;
  /** Aborted by the first signal: what is starting (local trainers) stops. */
  readonly abort: AbortSignal;
  /** The first signal received, or null. */
  received(): NodeJS.Signals | null;
  /** The open session, which a second signal closes before quitting. */
  onQuit(session: SearchSession): void;
  /** The local trainers, which a second signal stops (SIGTERM) before quitting. */
  onQuitStop(local: LocalTrainers): void;
  /** Stops listening: signals kill the process again. */
  dispose(): void;
}

/** Starts listening; `dir` is named in the messages (how to resume). */
export function listenForStopSignals(dir: string): StopSignals {
  const first$ = new ReplaySubject<NodeJS.Signals>(1);
  let first: NodeJS.Signals | null = null;
  let session: SearchSession | null = null;
  let local: LocalTrainers | null = null;
  const aborter = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (first !== null) {
      printNote(
        `\nnas-ctl: ${signal} again: quitting now; finished trials are saved (nas-ctl search --resume ${dir})\n`,
      );
      const code = signalExitCode(first);
      // stop() signals every trainer at once; the process need not wait for them to exit.
      void local?.stop();
      if (session === null) process.exit(code);
      // Quits right after the writes of this event-loop turn are committed: close() commits them
      // synchronously (a commit the disk refused is rolled back whole), and nothing else may run
      // in between (a microtask of the stop in progress would find the store closed).
      try {
        void session.close();
      } finally {
        process.exit(code);
      }
    }
    first = signal;
    // Before the search runs, the start-up reports the stop in one line of its own.
    if (session !== null) {
      printNote(
        `\nnas-ctl: ${signal}: stopping; trials in flight are cancelled and run again by --resume (${signal} again quits at once)\n`,
      );
    }
    first$.next(signal);
    aborter.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    first$: first$.asObservable(),
    abort: aborter.signal,
    received: () => first,
    onQuit: (open) => void (session = open),
    onQuitStop: (started) => void (local = started),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      first$.complete();
    },
  };
}

/** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}
