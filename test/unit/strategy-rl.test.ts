import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionSlots } from '../../shared/decisions.ts';
import { createRng } from '../../shared/rng.ts';
import { DEFAULT_SPACE, NASNET_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import { Policy, type PolicyOptions } from '../../controller/strategies/rl/policy.ts';
import { lossAndGradients, logProbs } from '../fixtures/tfjs-policy/tfjs-policy-loss.ts';
import {
  PARAM_NAMES,
  mapParams,
  type PolicyParams,
} from '../../controller/strategies/rl/policy-layout.ts';
import {
  createStrategy,
  defaultStrategyConfig,
  type Candidate,
  type RlConfig,
  type RlSnapshot,
  type Strategy,
  type StrategySnapshot,
} from '../../controller/strategies/strategy.ts';
import { drive, matchReward } from '../fixtures/strategy-driver.ts';

const OPTIONS: PolicyOptions = {
  lstmUnits: 8,
  learningRate: 0.01,
  entropyWeight: 0,
  clip: 0.2,
  ppoEpochs: 1,
  algorithm: 'ppo',
  initRange: 0.1,
};

/** Small, fast RL settings; only the sizes differ from the paper's defaults. */
const SMALL: RlConfig = { ...defaultStrategyConfig('rl', 5), lstmUnits: 8, batchSize: 5 };

function paramsOf(policy: Policy): PolicyParams {
  const { params } = policy.snapshot();
  return mapParams(policy.layout, (name) => Float32Array.from(params[name] ?? []));
}

function rlSnapshot(strategy: Strategy<StrategySnapshot>): RlSnapshot {
  const snapshot = strategy.snapshot();
  if (snapshot.name !== 'rl') throw new Error('not an RL snapshot');
  return snapshot;
}

describe('RL policy sampling', () => {
  it('never samples a masked choice, even from peaked random weights', () => {
    const spaces: SearchSpace[] = [DEFAULT_SPACE, NASNET_SPACE, { ...NASNET_SPACE, blocks: 3 }];
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(...spaces), (seed, space) => {
        const policy = Policy.create(space, { ...OPTIONS, initRange: 2 }, createRng(seed));
        const slots = decisionSlots(space);
        const rng = createRng(seed + 1);
        for (let i = 0; i < 20; i++) {
          const { decisions } = policy.sample(rng);
          expect(decisions).toHaveLength(slots.length);
          decisions.forEach((d, t) => {
            expect(Number.isInteger(d) && d >= 0 && d < (slots[t]?.choices ?? 0)).toBe(true);
          });
        }
      }),
      { numRuns: 30 },
    );
  });

  it('gives masked choices zero probability in the training graph too', () => {
    const policy = Policy.create(DEFAULT_SPACE, OPTIONS, createRng(1));
    const valid = policy.sample(createRng(2)).decisions;
    const invalid = [...valid];
    invalid[0] = 2; // block 0 may only read h_i (0) or h_{i-1} (1)
    const [good, bad] = logProbs(policy.layout, paramsOf(policy), [valid, invalid]);
    expect(good).toBeGreaterThan(-200);
    expect(bad).toBeLessThan(-1e8);
  });

  it('samples and trains the same function: JS and tfjs log-probabilities agree', () => {
    for (const seed of [1, 2, 3]) {
      const policy = Policy.create(DEFAULT_SPACE, { ...OPTIONS, initRange: 0.5 }, createRng(seed));
      const rng = createRng(seed + 10);
      const samples = Array.from({ length: 6 }, () => policy.sample(rng));
      const fromTf = logProbs(
        policy.layout,
        paramsOf(policy),
        samples.map((s) => s.decisions),
      );
      samples.forEach((s, i) => {
        expect(s.logp).toBeCloseTo(policy.logProb(s.decisions), 10);
        expect(Math.abs(s.logp - (fromTf[i] ?? NaN))).toBeLessThan(1e-4 * Math.abs(s.logp));
      });
    }
  });
});

describe('RL policy update', () => {
  it('computes the gradient of its loss: the directional derivative matches finite differences', () => {
    const options = { algorithm: 'reinforce', clip: 0.2, entropyWeight: 0.5 } as const;
    const policy = Policy.create(
      DEFAULT_SPACE,
      { ...OPTIONS, lstmUnits: 6, initRange: 0.5 },
      createRng(7),
    );
    const rng = createRng(8);
    const examples = Array.from({ length: 4 }, (_, i) => {
      const { decisions, logp } = policy.sample(rng);
      return { decisions, oldLogp: logp, advantage: i - 1.5 };
    });
    const params = paramsOf(policy);
    const direction = mapParams(policy.layout, (_name, size) =>
      Float32Array.from({ length: size }, () => 2 * rng.next() - 1),
    );
    const moved = (step: number): PolicyParams =>
      mapParams(policy.layout, (name) =>
        params[name].map((v, k) => v + step * (direction[name][k] ?? 0)),
      );
    const { grads } = lossAndGradients(policy.layout, params, examples, options);
    const analytic = PARAM_NAMES.reduce(
      (sum, name) => sum + grads[name].reduce((a, g, k) => a + g * (direction[name][k] ?? 0), 0),
      0,
    );
    const step = 1e-2;
    const loss = (p: PolicyParams): number =>
      lossAndGradients(policy.layout, p, examples, options).loss;
    const numeric = (loss(moved(step)) - loss(moved(-step))) / (2 * step);
    expect(Math.abs(analytic)).toBeGreaterThan(0.1);
    expect(Math.abs(numeric - analytic)).toBeLessThan(0.02 * Math.abs(analytic));
  });

  const cases = [
    { algorithm: 'ppo', ppoEpochs: 1 },
    { algorithm: 'ppo', ppoEpochs: 3 },
    { algorithm: 'reinforce', ppoEpochs: 1 },
  ] as const;

  it.each(cases)(
    '$algorithm ($ppoEpochs epochs) makes a sequence likelier after a positive advantage, less likely after a negative one',
    (variant) => {
      for (const advantage of [1, -1]) {
        const policy = Policy.create(DEFAULT_SPACE, { ...OPTIONS, ...variant }, createRng(3));
        const { decisions, logp } = policy.sample(createRng(4));
        policy.update([{ decisions, oldLogp: logp, advantage }]);
        const change = policy.logProb(decisions) - logp;
        expect(Math.sign(change)).toBe(advantage);
        expect(Math.abs(change)).toBeGreaterThan(0.05);
      }
    },
  );

  it('PPO leaves the policy alone when the ratio is already clipped in the advantage direction', () => {
    const policy = Policy.create(DEFAULT_SPACE, OPTIONS, createRng(3));
    const { decisions, logp } = policy.sample(createRng(4));
    const before = policy.snapshot().params;
    // ratio = e > 1 + clip with a positive advantage: the clipped term is the minimum, gradient 0.
    policy.update([{ decisions, oldLogp: logp - 1, advantage: 1 }]);
    expect(policy.snapshot().params).toEqual(before);
  });
});

describe('RL strategy', () => {
  it('uses a moving-average baseline started at the first minibatch mean', () => {
    const config: RlConfig = { ...SMALL, baselineDecay: 0.5, rewardPower: 3 };
    const strategy = createStrategy(config, DEFAULT_SPACE);
    const rewards = [0.1, 0.2, 0.3, 0.4, 0.5];
    const candidates = rewards.map(() => strategy.ask());
    candidates.slice(0, 4).forEach((c, i) => strategy.tell(c, rewards[i] ?? 0));
    expect(rlSnapshot(strategy).finished.map((f) => f.reward)).toEqual(
      rewards.slice(0, 4).map((r) => r ** 3),
    );
    expect(rlSnapshot(strategy).baseline).toBeNull();
    strategy.tell(candidates[4] as Candidate, 0.5);
    const cubes = rewards.map((r) => r ** 3);
    let b = cubes.reduce((a, x) => a + x) / cubes.length;
    for (const r of cubes) b = 0.5 * b + 0.5 * r;
    expect(rlSnapshot(strategy).baseline).toBeCloseTo(b, 12);
    expect(rlSnapshot(strategy).updates).toBe(1);
    expect(rlSnapshot(strategy).finished).toEqual([]);
  });

  it('leaves failed trials out of the minibatch, or scores them with failureReward', () => {
    const skip = createStrategy(SMALL, DEFAULT_SPACE);
    skip.tell(skip.ask(), null);
    expect(rlSnapshot(skip).finished).toEqual([]);
    const zero = createStrategy({ ...SMALL, failureReward: 0 }, DEFAULT_SPACE);
    zero.tell(zero.ask(), null);
    expect(rlSnapshot(zero).finished.map((f) => f.reward)).toEqual([0]);
  });

  it('continues exactly from a snapshot taken right after an update, and with trials in flight', () => {
    const reward = matchReward(DEFAULT_SPACE, 8);
    for (const [trials, inFlight] of [
      [10, 1],
      [12, 6],
    ] as const) {
      const strategy = createStrategy(SMALL, DEFAULT_SPACE);
      drive(strategy, reward, { trials, inFlight, orderSeed: 1 });
      const snapshot = JSON.parse(JSON.stringify(strategy.snapshot())) as RlSnapshot;
      expect(snapshot.updates).toBe(2);
      // The second minibatch's update is not applied yet; the restored strategy redoes it.
      expect(snapshot.queue).toHaveLength(1);
      // Its minibatch of 5, then the best cells it replays (priority-queue training).
      expect(snapshot.queue[0]?.examples.length).toBeGreaterThan(5);
      expect(snapshot.finished).toHaveLength(trials === 10 ? 0 : 2);
      expect(snapshot.pending).toHaveLength(inFlight - 1);
      const restored = createStrategy(SMALL, DEFAULT_SPACE, snapshot);
      const next = (s: Strategy): Candidate[] =>
        drive(s, reward, { trials: 30, inFlight: 3, orderSeed: 2 }).asked.slice(0, 30);
      expect(next(restored)).toEqual(next(strategy));
    }
  });

  it('applies each update half a minibatch later, or as many results later as were in flight', () => {
    const reward = matchReward(DEFAULT_SPACE, 2);
    // [candidates in flight, results after the minibatch until its update applies]
    for (const [inFlight, lag] of [
      [1, 3],
      [8, 7],
    ] as const) {
      const strategy = createStrategy(SMALL, DEFAULT_SPACE);
      const initial = rlSnapshot(strategy).policy.params;
      drive(strategy, reward, { trials: 5, inFlight, orderSeed: 1 });
      expect(rlSnapshot(strategy).updates).toBe(1);
      expect(rlSnapshot(strategy).queue[0]?.applyAt).toBe(5 + lag);
      drive(strategy, reward, { trials: lag - 1, inFlight: 1, orderSeed: 1 });
      expect(rlSnapshot(strategy).policy.params).toEqual(initial);
      drive(strategy, reward, { trials: 1, inFlight: 1, orderSeed: 1 });
      // Exactly the first update is applied (a second minibatch may have filled meanwhile).
      expect(rlSnapshot(strategy).policy.step).toBe(SMALL.ppoEpochs);
      expect(rlSnapshot(strategy).policy.params).not.toEqual(initial);
    }
  });

  it('queues updates while many trials are in flight, each from the previous one, and resumes the queue exactly', () => {
    const reward = matchReward(DEFAULT_SPACE, 3);
    const strategy = createStrategy(SMALL, DEFAULT_SPACE);
    drive(strategy, reward, { trials: 23, inFlight: 16, orderSeed: 1 });
    const snapshot = JSON.parse(JSON.stringify(strategy.snapshot())) as RlSnapshot;
    expect(snapshot.queue.length).toBeGreaterThanOrEqual(2);
    // Applying the queue gives what the same updates give one at a time from the snapshot's policy.
    const chained = Policy.restore(DEFAULT_SPACE, SMALL, snapshot.policy);
    const updates = snapshot.queue.map((q) => chained.startUpdate(q.examples));
    updates.forEach((u) => chained.applyUpdate(u));
    const oneByOne = Policy.restore(DEFAULT_SPACE, SMALL, snapshot.policy);
    snapshot.queue.forEach((q) => oneByOne.update(q.examples));
    expect(chained.snapshot()).toEqual(oneByOne.snapshot());
    expect(chained.snapshot()).not.toEqual(
      Policy.restore(DEFAULT_SPACE, SMALL, snapshot.policy).snapshot(),
    );
    const restored = createStrategy(SMALL, DEFAULT_SPACE, snapshot);
    const next = (s: Strategy): Candidate[] =>
      drive(s, reward, { trials: 40, inFlight: 16, orderSeed: 2 }).asked;
    expect(next(restored)).toEqual(next(strategy));
    expect(restored.snapshot()).toEqual(strategy.snapshot());
  });

  it("runs one update at the paper's size (LSTM of 100 units, minibatch of 20, 4 PPO epochs)", () => {
    const strategy = createStrategy(defaultStrategyConfig('rl', 1), DEFAULT_SPACE);
    const before = rlSnapshot(strategy).policy.params.wh?.slice(0, 5);
    // With 8 in flight (fewer than half a minibatch of 20) the update is applied 10 results later.
    drive(strategy, matchReward(DEFAULT_SPACE, 1), { trials: 30, inFlight: 8, orderSeed: 1 });
    const after = rlSnapshot(strategy);
    expect(after.updates).toBe(1);
    expect(after.policy.params.wh).toHaveLength(100 * 400);
    expect(after.policy.params.wh?.slice(0, 5)).not.toEqual(before);
    expect(after.policy.step).toBe(defaultStrategyConfig('rl', 0).ppoEpochs);
  });
});
