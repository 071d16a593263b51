/**
 * Retrying transient trainer failures with exponential backoff. A retry resubscribes, so it starts
 * the trial again from the beginning (its events repeat from `started`); only errors marked
 * `retryable` are retried, every other one passes through at once.
 */
import { retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { TrainerCallError } from './errors.ts';

/** How often and how patiently to retry. */
export interface RetryTransientOptions {
  /** Retries after the first attempt. */
  readonly count: number;
  /** Wait before the first retry, in milliseconds (default 1 s); doubles with each retry. */
  readonly initialDelayMs?: number;
  /** Longest wait between two attempts, in milliseconds (default 30 s). */
  readonly maxDelayMs?: number;
}

/** True when `err` is a trainer failure that another attempt may not meet. */
export function isRetryable(err: unknown): boolean {
  return err instanceof TrainerCallError && err.retryable;
}

/** The wait before retry number `attempt` (from 1): initial * 2^(attempt-1), at most `max`. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

/** Retries retryable trainer failures up to `count` times, waiting longer before each. */
export function retryTransient<T>(options: RetryTransientOptions): MonoTypeOperatorFunction<T> {
  const initial = options.initialDelayMs ?? 1_000;
  const max = options.maxDelayMs ?? 30_000;
  return retry<T>({
    count: options.count,
    delay: (err: unknown, attempt: number) =>
      isRetryable(err) ? timer(backoffDelay(attempt, initial, max)) : throwError(() => err),
  });
}
