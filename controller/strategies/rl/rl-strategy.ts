/**
 * The NASNet RL controller as a strategy (Zoph et al., CVPR 2018, appendix A: a
 * one-layer LSTM of 100 units trained with PPO on minibatches of 20 children): candidates are decision
 * sequences sampled from the LSTM policy; every `batchSize` finished trials make one minibatch, whose
 * policy update runs in a worker thread while the search goes on and is applied some results later
 * (policy-learner.ts says when). Candidates sampled by an older policy are what the paper's
 * asynchronous workers produce too; PPO's ratio against the log-probability stored in their meta
 * corrects for that.
 *
 * Reward: accuracy^rewardPower. Advantage: reward minus an exponential moving average of rewards
 * (decay `baselineDecay`, see baseline.ts), computed for the whole minibatch before the average
 * absorbs it. The average starts at the first minibatch's mean, so the first update is not all-positive.
 * A failed trial gets `failureReward`, or (null, the default) is left out of the minibatches.
 */
import { decodeDecisions } from '../../../shared/decisions.ts';
import { createRng, rngFromState } from '../../../shared/rng.ts';
import type { SearchSpace } from '../../../shared/search-space.ts';
import { checkReward } from '../errors.ts';
import { PendingCandidates } from '../pending.ts';
import { saveRng } from '../rng-state.ts';
import type { Candidate, RlConfig, Strategy } from '../types.ts';
import { PolicyLearner } from './policy-learner.ts';
import type { RlMeta, RlSnapshot } from './rl-types.ts';
import { sequenceMeta } from './sequence-meta.ts';

/** An RL-controller strategy, fresh from `config.seed` or continuing from `snapshot`. */
export function createRlStrategy(
  config: RlConfig,
  space: SearchSpace,
  snapshot?: RlSnapshot,
): Strategy<RlSnapshot> {
  const rng = snapshot ? rngFromState(snapshot.rng) : createRng(config.seed);
  const learner = new PolicyLearner(space, config, rng, snapshot);
  const pending = new PendingCandidates(snapshot?.nextId, snapshot?.pending);
  pending.list().forEach((c) => sequenceMeta(c, 'RL'));

  function ask(): Candidate {
    const { decisions, logp } = learner.sample(rng);
    const meta: RlMeta = Object.freeze({ decisions: Object.freeze(decisions), logp });
    return pending.issue(decodeDecisions(decisions, space), meta);
  }

  function tell(candidate: Candidate, reward: number | null): void {
    checkReward(candidate.id, reward);
    const meta = sequenceMeta(pending.take(candidate), 'RL');
    const accuracy = reward ?? config.failureReward;
    if (accuracy === null) return;
    learner.learn({ ...meta, reward: accuracy ** config.rewardPower }, pending.size());
  }

  return {
    name: 'rl',
    ask,
    tell,
    pending: () => pending.list(),
    snapshot: (): RlSnapshot => ({
      version: 1,
      name: 'rl',
      rng: saveRng(rng),
      nextId: pending.nextId(),
      pending: pending.list(),
      ...learner.state(),
    }),
  };
}
