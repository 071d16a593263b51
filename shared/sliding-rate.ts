/**
 * A rate over a recent window (images per second, trials per second): amounts are added into
 * one-second buckets of a ring, so memory stays constant however fast they come.
 */

/** Amount per second over the last `windowSeconds` (less while the rate is younger than that). */
export class SlidingRate {
  private readonly buckets: Float64Array;
  /** The whole second each bucket holds; -1: empty. */
  private readonly seconds: Float64Array;
  private readonly startedAt: number;

  /** `now` is in seconds on any monotonic clock. */
  constructor(
    private readonly windowSeconds: number,
    private readonly now: () => number = () => performance.now() / 1000,
  ) {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1)
      throw new RangeError(`windowSeconds must be a positive integer, got ${windowSeconds}`);
    this.buckets = new Float64Array(windowSeconds);
    this.seconds = new Float64Array(windowSeconds).fill(-1);
    this.startedAt = now();
  }

  /** Adds `amount` at the current time. */
  add(amount: number): void {
    const second = Math.floor(this.now());
    const i = second % this.windowSeconds;
    if (this.seconds[i] !== second) {
      this.seconds[i] = second;
      this.buckets[i] = 0;
    }
    this.buckets[i] = (this.buckets[i] ?? 0) + amount;
  }

  /** The amount added in the window divided by the time it spans (0 before any time passed). */
  rate(): number {
    const now = this.now();
    const second = Math.floor(now);
    let sum = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      const at = this.seconds[i] ?? -1;
      if (at > second - this.windowSeconds && at <= second) sum += this.buckets[i] ?? 0;
    }
    // The buckets cover the current, partly elapsed second and the whole ones before it.
    const span = Math.min(now - this.startedAt, this.windowSeconds - 1 + (now - second));
    return span > 0 ? sum / span : 0;
  }
}
