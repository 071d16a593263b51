/**
 * A strategy added without touching the registry's code: a toy round-robin strategy, defined in test
 * code as a `StrategyEntry` (test/fixtures/round-robin-strategy.ts: config schema, snapshot schema,
 * dashboard signal), put beside the built-ins with `strategyRegistry`, and run through the same generic paths the built-ins use: create, the
 * search loop over a real run store, snapshot and restore, snapshot parsing, and the dashboard's
 * signal replay.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../shared/errors.ts';
import type { Genotype } from '../../shared/genotype.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import {
  STRATEGIES,
  STRATEGY_REGISTRY,
  prepareStrategy,
  strategyRegistry,
  type Candidate,
  type Strategy,
} from '../../controller/strategies/strategy.ts';
import { restoreStrategy } from '../../controller/search/restore-strategy.ts';
import { signalReplay } from '../../controller/dashboard/strategy-signal.ts';
import { createRunStore, type RunStore } from '../../controller/store/index.ts';
import { accuracyOf, driveToEnd, loopOver } from '../fixtures/finished-run.ts';
import {
  ROUND_ROBIN,
  listOf,
  preparations,
  type RoundRobinConfig,
} from '../fixtures/round-robin-strategy.ts';

const REGISTRY = strategyRegistry({ ...STRATEGIES, 'round-robin': ROUND_ROBIN });
const CONFIG: RoundRobinConfig = { name: 'round-robin', seed: 5, size: 3 };

const stores: RunStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A new run store for the round-robin strategy. */
function newStore(): RunStore {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-round-robin-')), 'run');
  const store = createRunStore(dir, {
    strategy: CONFIG.name,
    seed: CONFIG.seed,
    space: DEFAULT_SPACE,
    settings: { strategy: CONFIG },
  });
  stores.push(store);
  return store;
}

/** `n` asks of `strategy`, as ids and genotypes. */
function asks(strategy: Strategy, n: number): { id: number; genotype: Genotype }[] {
  return Array.from({ length: n }, () => {
    const { id, genotype } = strategy.ask();
    return { id, genotype };
  });
}

describe('a strategy added beside the built-ins', () => {
  it('joins the registry under its name, after the built-ins', () => {
    expect(REGISTRY.names).toEqual(['rl', 'evolution', 'random', 'local', 'hybrid', 'round-robin']);
    expect(STRATEGY_REGISTRY.names).toEqual(['rl', 'evolution', 'random', 'local', 'hybrid']);
    expect(() => STRATEGY_REGISTRY.create(CONFIG, DEFAULT_SPACE)).toThrow(
      /unknown strategy "round-robin"; allowed: rl, evolution, random, local, hybrid/,
    );
    expect(() => strategyRegistry({ ...STRATEGIES, cycle: ROUND_ROBIN })).toThrow(
      /strategy entry "round-robin" is listed as "cycle"/,
    );
  });

  it('is prepared and created from its config, defaults filled in', async () => {
    await prepareStrategy(CONFIG, REGISTRY);
    expect(preparations.count).toBe(1);
    const strategy = REGISTRY.create({ name: 'round-robin', seed: 5 }, DEFAULT_SPACE);
    const list = listOf(CONFIG, DEFAULT_SPACE);
    expect(strategy.name).toBe('round-robin');
    expect(asks(strategy, 7).map((a) => a.genotype)).toEqual([...list, ...list, list[0]]);
    const tooSmall = { ...CONFIG, size: 0 };
    expect(() => REGISTRY.create(tooSmall, DEFAULT_SPACE)).toThrow(
      /invalid strategy config .*\n.*size: expected a positive integer/,
    );
  });

  it('runs in the search loop, restores exactly from its run and replays its signal', () => {
    const store = newStore();
    const strategy = REGISTRY.create(CONFIG, DEFAULT_SPACE);
    const dispatched = driveToEnd(loopOver(store, strategy, 11));
    expect(dispatched).toHaveLength(11);
    expect(store.latestSnapshot()).not.toBeNull();

    const restored = restoreStrategy(CONFIG, DEFAULT_SPACE, store, REGISTRY);
    expect(restored.snapshot()).toEqual(strategy.snapshot());
    expect(asks(restored, 5)).toEqual(asks(strategy, 5));

    const replay = signalReplay(CONFIG, REGISTRY);
    for (const entry of store.journal.entriesAfter(0))
      if (entry.kind === 'tell') replay.tell(entry, () => null);
    const rewards = store.trials().map((t) => ({ member: (t.candidateId - 1) % 3, id: t.id }));
    const mean = (member: number): number => {
      const mine = rewards.filter((r) => r.member === member).map((r) => accuracyOf(r.id));
      return mine.reduce((a, b) => a + b, 0) / mine.length;
    };
    const signal = replay.signal();
    if (signal.kind !== 'round-robin')
      throw new Error(`expected its own signal, got ${signal.kind}`);
    const { means } = signal;
    expect(means).toHaveLength(3);
    means.forEach((m, i) => expect(m).toBeCloseTo(mean(i), 12));
  });

  it('continues exactly from a JSON snapshot with candidates in flight', () => {
    const strategy = REGISTRY.create(CONFIG, DEFAULT_SPACE);
    const inFlight: Candidate[] = [strategy.ask(), strategy.ask(), strategy.ask(), strategy.ask()];
    strategy.tell(inFlight[1] ?? strategy.ask(), 0.5);
    const stored: unknown = JSON.parse(JSON.stringify(strategy.snapshot()));
    const copy = REGISTRY.create(
      CONFIG,
      DEFAULT_SPACE,
      REGISTRY.parseSnapshot(stored, DEFAULT_SPACE),
    );
    expect(copy.pending().map((c) => c.id)).toEqual([1, 3, 4]);
    expect(asks(copy, 4)).toEqual(asks(strategy, 4));
    for (const c of [inFlight[0], inFlight[2]]) {
      if (c === undefined) continue;
      copy.tell(c, 0.7);
      strategy.tell(c, 0.7);
    }
    expect(copy.snapshot()).toEqual(strategy.snapshot());
  });

  it('rejects a bad snapshot with the path of every problem', () => {
    const snapshot = REGISTRY.create(CONFIG, DEFAULT_SPACE).snapshot();
    const bad = { ...snapshot, position: -1, told: ['x'] };
    expect(() => REGISTRY.parseSnapshot(bad, DEFAULT_SPACE)).toThrow(InvalidValueError);
    expect(() => REGISTRY.parseSnapshot(bad, DEFAULT_SPACE)).toThrow(/position: .*told\[0\]/s);
    expect(() => STRATEGY_REGISTRY.parseSnapshot(snapshot, DEFAULT_SPACE)).toThrow(
      /name: unknown strategy "round-robin"; allowed: rl, evolution, random/,
    );
    const search = { journalSeq: 0, strategy: snapshot };
    expect(() => REGISTRY.parseSearchSnapshot(search, DEFAULT_SPACE, 'random')).toThrow(
      /strategy\.name: a round-robin snapshot, but the run's strategy is random/,
    );
    expect(REGISTRY.parseSearchSnapshot(search, DEFAULT_SPACE, 'round-robin').strategy).toEqual(
      snapshot,
    );
    expect(() => REGISTRY.create(CONFIG, DEFAULT_SPACE, { ...snapshot, name: 'random' })).toThrow(
      /cannot restore a round-robin strategy from a random snapshot/,
    );
  });
});
