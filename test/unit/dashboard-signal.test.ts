/**
 * The dashboard's strategy signal, replayed from a run's ask/tell journal, against the strategies'
 * own state: the RL controller's baseline and update count, evolution's population.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultStrategyConfig,
  prepareStrategy,
  type EvolutionSnapshot,
  type RlConfig,
  type RlSnapshot,
  type StrategySnapshot,
} from '../../controller/strategies/strategy.ts';
import { openRunStore } from '../../controller/store/index.ts';
import { DashboardRun } from '../../controller/dashboard/dashboard-run.ts';
import type { StrategySignal } from '../../controller/dashboard/dashboard-types.ts';
import {
  MAX_SIGNAL_POINTS,
  signalReplay,
  spread,
} from '../../controller/dashboard/strategy-signal.ts';
import { strategyRun } from '../fixtures/strategy-run.ts';

const opened: DashboardRun[] = [];
afterEach(() => {
  for (const run of opened.splice(0)) run.close();
});

function signalOf(dir: string): StrategySignal {
  const run = DashboardRun.open(0, { dir });
  opened.push(run);
  return run.signal();
}

type Signal<K extends StrategySignal['kind']> = Extract<StrategySignal, { kind: K }>;

function rlSignal(s: StrategySignal): Signal<'rl'> {
  if (s.kind !== 'rl') throw new Error(`expected an rl signal, got ${s.kind}`);
  return s;
}

function evolutionSignal(s: StrategySignal): Signal<'evolution'> {
  if (s.kind !== 'evolution') throw new Error(`expected an evolution signal, got ${s.kind}`);
  return s;
}

function noSignal(s: StrategySignal): Signal<'none'> {
  if (s.kind !== 'none') throw new Error(`expected no signal, got ${s.kind}`);
  return s;
}

function rlSnapshot(s: StrategySnapshot): RlSnapshot {
  if (s.name !== 'rl') throw new Error('expected an rl snapshot');
  return s;
}

function evolutionSnapshot(s: StrategySnapshot): EvolutionSnapshot {
  if (s.name !== 'evolution') throw new Error('expected an evolution snapshot');
  return s;
}

function logpOf(meta: unknown): number {
  return typeof meta === 'object' &&
    meta !== null &&
    'logp' in meta &&
    typeof meta.logp === 'number'
    ? meta.logp
    : NaN;
}

/** Each journal tell's reward and its candidate's sampling log-probability, in tell order. */
function toldWithLogp(dir: string): { reward: number | null; logp: number }[] {
  const store = openRunStore(dir, { readonly: true });
  try {
    const logps = new Map(store.trials().map((t) => [t.candidateId, logpOf(t.meta)]));
    return store.journal
      .entriesAfter(0)
      .flatMap((e) =>
        e.kind === 'tell' ? [{ reward: e.reward, logp: logps.get(e.candidateId) ?? NaN }] : [],
      );
  } finally {
    store.close();
  }
}

describe('strategy signal', () => {
  it('rl: one point per policy update, ending at the controller baseline', async () => {
    const config: RlConfig = { ...defaultStrategyConfig('rl', 3), lstmUnits: 8, batchSize: 4 };
    await prepareStrategy(config);
    const { dir, strategy } = strategyRun(config, 18);
    const signal = rlSignal(signalOf(dir));
    const snapshot = rlSnapshot(strategy.snapshot());
    expect(signal.points.map((p) => p.batch)).toEqual([1, 2, 3, 4]);
    expect(signal.points).toHaveLength(snapshot.updates);
    expect(signal.points.at(-1)?.baseline).toBeCloseTo(snapshot.baseline ?? NaN, 12);
    const told = toldWithLogp(dir);
    signal.points.forEach((point, i) => {
      const batch = told.slice(4 * i, 4 * i + 4);
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(point.told).toBe(4 * i + 4);
      expect(point.meanReward).toBeCloseTo(mean(batch.map((t) => t.reward ?? NaN)), 12);
      expect(point.entropy).toBeCloseTo(mean(batch.map((t) => -t.logp)), 9);
      expect(point.entropy).toBeGreaterThan(0);
    });
  });

  it('evolution: the population after every result, ending at the strategy population', () => {
    const config = { ...defaultStrategyConfig('evolution', 2), population: 5, sample: 2 };
    const { dir, strategy } = strategyRun(config, 23);
    const signal = evolutionSignal(signalOf(dir));
    const { population } = evolutionSnapshot(strategy.snapshot());
    expect(signal.population).toBe(5);
    expect(signal.points.map((p) => p.told)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(signal.points.map((p) => p.size)).toEqual([1, 2, 3, 4, ...Array<number>(19).fill(5)]);
    expect(signal.points.at(-1)).toEqual(
      spread(
        23,
        population.map((m) => m.reward),
      ),
    );
  });

  it('random search has no signal, and says why', () => {
    const { dir } = strategyRun(defaultStrategyConfig('random', 4), 3);
    expect(noSignal(signalOf(dir)).why).toMatch(/random search does not learn/);
  });

  it('thins a long signal to evenly spaced points and keeps the latest', () => {
    const replay = signalReplay({ ...defaultStrategyConfig('evolution', 1), population: 3 });
    for (let i = 1; i <= 5000; i++)
      replay.tell({ candidateId: i, reward: (i % 7) / 10 }, () => null);
    const { points } = evolutionSignal(replay.signal());
    expect(points.length).toBeLessThanOrEqual(MAX_SIGNAL_POINTS);
    expect(points.length).toBeGreaterThan(MAX_SIGNAL_POINTS / 4);
    const steps = points.slice(0, -1).map((p, i) => (points[i + 1]?.told ?? 0) - p.told);
    expect(new Set(steps.slice(0, -1)).size).toBe(1);
    expect(points.at(-1)?.told).toBe(5000);
    expect(points.at(-1)).toEqual(
      spread(
        5000,
        [4998, 4999, 5000].map((i) => (i % 7) / 10),
      ),
    );
  });

  it('quartiles interpolate between ranks', () => {
    expect(spread(9, [0.4, 0.1, 0.3, 0.2, 0.5])).toEqual({
      told: 9,
      size: 5,
      min: 0.1,
      q1: 0.2,
      median: 0.3,
      q3: 0.4,
      max: 0.5,
    });
  });
});
