/**
 * One round of one fault, tried again while it is missed: a round counts only once the fault was
 * really injected (held or failed). Bounded: after `retries` more attempts a round that was never
 * injected stays missed, and the campaign counts that fault short.
 */
import type { ChaosContext, Fault, RoundOutcome } from './fault.ts';
import { messageOf } from './trainer-probe.ts';

/** How one round of a fault ended: its last attempt's outcome and the missed attempts before it. */
export interface RoundRecord {
  /** Held or failed once injected; missed when every attempt was. */
  readonly outcome: RoundOutcome;
  /** The attempts that were missed (the last one too, when {@link outcome} is missed). */
  readonly missed: readonly RoundOutcome[];
}

/** Where the round stands in the campaign, for the log line of each attempt. */
export interface RoundPlace {
  readonly round: number;
  readonly rounds: number;
  /** Attempts after the first, at most. */
  readonly retries: number;
}

/**
 * Runs round `place.round` of `fault` until an attempt is not missed, at most `1 + retries` times;
 * an attempt that throws counts as failed (it never ends the campaign). Logs one line per attempt.
 */
export async function runRound(
  fault: Fault,
  ctx: ChaosContext,
  place: RoundPlace,
): Promise<RoundRecord> {
  const missed: RoundOutcome[] = [];
  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    const outcome = await fault
      .run(ctx, place.round, attempt)
      .catch((err: unknown): RoundOutcome => ({
        kind: 'failed',
        note: `threw: ${messageOf(err)}`,
      }));
    const took = ((Date.now() - started) / 1000).toFixed(0);
    const again = attempt > 0 ? ` (attempt ${attempt + 1})` : '';
    ctx.log(
      `[${place.round + 1}/${place.rounds}] ${fault.name}${again}: ${outcome.kind} (${took} s) ${outcome.note}`,
    );
    if (outcome.kind !== 'missed') return { outcome, missed };
    missed.push(outcome);
    if (attempt >= place.retries) return { outcome, missed };
  }
}
