/**
 * The strategy's learning signal, replayed from the run's ask/tell journal: nothing extra is
 * recorded by the search, and a resumed search stays exact. The journal holds every result in the
 * order the strategy was told it, and both strategies' bookkeeping is a fixed function of that order:
 *
 * - rl (controller/strategies/rl/rl-strategy.ts): a told accuracy (or `failureReward` for a failure;
 *   none: left out) raised to `rewardPower` joins the minibatch; every `batchSize` of them make one
 *   update, whose baseline starts at the first minibatch's mean and then absorbs each reward with
 *   decay `baselineDecay`. The entropy is estimated as the mean -log p of the minibatch's candidates,
 *   as sampled (their meta keeps it): its expectation is the policy's summed per-decision entropy,
 *   the quantity the policy's entropy bonus uses.
 * - evolution (controller/strategies/evolution.ts): each succeeded result joins the population and
 *   the oldest leaves beyond `population` members.
 */
import type { RlConfig, StrategyConfig } from '../../shared/strategy-config.ts';
import type { PopulationPoint, RlBatchPoint, StrategySignal } from './dashboard-types.ts';

/** The most points a signal keeps; older ones are thinned to every other as it grows. */
export const MAX_SIGNAL_POINTS = 1000;

/** One told result: the candidate and its reward (null: failed). */
export interface Told {
  readonly candidateId: number;
  readonly reward: number | null;
}

/** Follows a strategy's journal, one told result at a time. */
export interface SignalReplay {
  tell(told: Told, logp: (candidateId: number) => number | null): void;
  signal(): StrategySignal;
}

/** The replay for a run's strategy config (none for random search, which learns nothing). */
export function signalReplay(config: StrategyConfig): SignalReplay {
  switch (config.name) {
    case 'rl':
      return rlReplay(config);
    case 'evolution':
      return evolutionReplay(config.population);
    case 'random':
      return fixedSignal('random search does not learn: every candidate is drawn uniformly');
  }
}

/** A replay that always gives the same "no signal" answer, saying why. */
export function fixedSignal(why: string): SignalReplay {
  return { tell: () => undefined, signal: () => ({ kind: 'none', why }) };
}

function rlReplay(config: RlConfig): SignalReplay {
  const finished: { reward: number; logp: number | null }[] = [];
  const points: RlBatchPoint[] = [];
  let baseline: number | null = null;
  let told = 0;
  return {
    tell(result, logp) {
      told += 1;
      const accuracy = result.reward ?? config.failureReward;
      if (accuracy === null) return;
      finished.push({ reward: accuracy ** config.rewardPower, logp: logp(result.candidateId) });
      if (finished.length < config.batchSize) return;
      const batch = finished.splice(0, config.batchSize);
      const mean = batch.reduce((sum, f) => sum + f.reward, 0) / batch.length;
      let b = baseline ?? mean;
      for (const f of batch) b = config.baselineDecay * b + (1 - config.baselineDecay) * f.reward;
      baseline = b;
      const logps = batch.map((f) => f.logp);
      const entropy = logps.every((l) => l !== null)
        ? -logps.reduce((sum, l) => sum + l, 0) / logps.length
        : null;
      points.push({ batch: points.length + 1, told, meanReward: mean, baseline: b, entropy });
    },
    signal: () => ({ kind: 'rl', batchSize: config.batchSize, points: [...points] }),
  };
}

function evolutionReplay(size: number): SignalReplay {
  const population: number[] = [];
  const points = new ThinnedPoints<PopulationPoint>();
  let told = 0;
  return {
    tell(result) {
      told += 1;
      if (result.reward !== null) {
        population.push(result.reward);
        while (population.length > size) population.shift();
      }
      if (population.length > 0) points.offer(told, () => spread(told, population));
    },
    signal: () => {
      const latest =
        population.length === 0 ? null : { step: told, make: () => spread(told, population) };
      return { kind: 'evolution', population: size, points: points.list(latest) };
    },
  };
}

/** The population's size and reward quartiles (linear interpolation between ranks). */
export function spread(told: number, rewards: readonly number[]): PopulationPoint {
  const sorted = [...rewards].sort((a, b) => a - b);
  const at = (q: number): number => {
    const pos = q * (sorted.length - 1);
    const lo = sorted[Math.floor(pos)] ?? NaN;
    const hi = sorted[Math.ceil(pos)] ?? NaN;
    return lo + (hi - lo) * (pos - Math.floor(pos));
  };
  return {
    told,
    size: sorted.length,
    min: at(0),
    q1: at(0.25),
    median: at(0.5),
    q3: at(0.75),
    max: at(1),
  };
}

/**
 * At most {@link MAX_SIGNAL_POINTS} points, evenly spaced: every `stride`-th step is kept, and the
 * stride doubles (dropping every other kept point) when full.
 */
class ThinnedPoints<T> {
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
