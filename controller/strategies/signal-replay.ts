/**
 * What the dashboard shows of a strategy: its learning signal, replayed from the run's ask/tell
 * journal one told result at a time, so nothing extra is recorded by the search and a resumed search
 * stays exact. Each strategy's entry makes its own replay; this module holds what they share.
 */

/** The most points a signal keeps; older ones are thinned to every other as it grows. */
export const MAX_SIGNAL_POINTS = 1000;

/** What every strategy signal is: a `kind` the dashboard page draws by. */
export interface StrategySignalBase {
  readonly kind: string;
}

/** The signal of a strategy that learns nothing worth a chart, saying why. */
export interface NoSignal {
  readonly kind: 'none';
  readonly why: string;
}

/** One told result: the candidate and its reward (null: failed). */
export interface Told {
  readonly candidateId: number;
  readonly reward: number | null;
}

/** Follows a strategy's journal, one told result at a time; `G` is the signal it makes. */
export interface SignalReplay<G extends StrategySignalBase = StrategySignalBase> {
  /** Takes the next told result; `logp` gives a candidate's sampling log-probability, if known. */
  tell(told: Told, logp: (candidateId: number) => number | null): void;
  /** The signal so far. */
  signal(): G;
}

/** A replay that always gives the same "no signal" answer, saying why. */
export function fixedSignal(why: string): SignalReplay<NoSignal> {
  return { tell: () => undefined, signal: () => ({ kind: 'none', why }) };
}

/**
 * At most {@link MAX_SIGNAL_POINTS} points, evenly spaced: every `stride`-th step is kept, and the
 * stride doubles (dropping every other kept point) when full.
 */
export class ThinnedPoints<T> {
  private kept: { step: number; point: T }[] = [];
  private stride = 1;

  /** Keeps step `step` if it falls on the stride; `make` runs only then. */
  offer(step: number, make: () => T): void {
    if (step % this.stride !== 0) return;
    this.kept.push({ step, point: make() });
    if (this.kept.length < MAX_SIGNAL_POINTS) return;
    this.stride *= 2;
    this.kept = this.kept.filter((k) => k.step % this.stride === 0);
  }

  /** The kept points, then `latest` when it is a step after them. */
  list(latest: { step: number; make: () => T } | null): T[] {
    const last = this.kept[this.kept.length - 1];
    const points = this.kept.map((k) => k.point);
    if (latest !== null && (last === undefined || last.step < latest.step))
      points.push(latest.make());
    return points;
  }
}
