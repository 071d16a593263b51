/**
 * The NASNet RL controller as a strategy (Zoph et al., CVPR 2018, appendix A: a
 * one-layer LSTM of 100 units trained with PPO on minibatches of 20 children): candidates are decision
 * sequences sampled from the LSTM policy; every `batchSize` finished trials make one minibatch, whose
 * policy update runs in a worker thread while the search goes on and is applied once the next
 * minibatch is half full (waiting for it there if it is not done). The lag is counted in results,
 * not time, so the strategy stays a deterministic function of its asks and tells. (A lag of a whole
 * minibatch leaves the worker more time but learned clearly less in the synthetic-reward test.) Candidates sampled by an older
 * policy are what the paper's asynchronous workers produce too; PPO's ratio against the
 * log-probability stored in their meta corrects for that.
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
import { minibatchBaseline } from './baseline.ts';
import { Policy } from './policy.ts';
import type { RlExample, RlFinished, RlMeta, RlSnapshot } from './rl-types.ts';
import { sequenceMeta } from './sequence-meta.ts';
import type { PendingUpdate } from './update-thread.ts';

/** An RL-controller strategy, fresh from `config.seed` or continuing from `snapshot`. */
export function createRlStrategy(
  config: RlConfig,
  space: SearchSpace,
  snapshot?: RlSnapshot,
): Strategy<RlSnapshot> {
  const rng = snapshot ? rngFromState(snapshot.rng) : createRng(config.seed);
  const policy = snapshot
    ? Policy.restore(space, config, snapshot.policy)
    : Policy.create(space, config, rng);
  const pending = new PendingCandidates(snapshot?.nextId, snapshot?.pending);
  pending.list().forEach((c) => sequenceMeta(c, 'RL'));
  const finished: RlFinished[] = [...(snapshot?.finished ?? [])];
  let baseline = snapshot?.baseline ?? null;
  let updates = snapshot?.updates ?? 0;
  const applyAfter = Math.ceil(config.batchSize / 2);
  let updating: { examples: readonly RlExample[]; update: PendingUpdate } | null = null;
  if (snapshot?.updating) start(snapshot.updating);

  function start(examples: readonly RlExample[]): void {
    updating = { examples, update: policy.startUpdate(examples) };
  }

  function ask(): Candidate {
    const { decisions, logp } = policy.sample(rng);
    const meta: RlMeta = Object.freeze({ decisions: Object.freeze(decisions), logp });
    return pending.issue(decodeDecisions(decisions, space), meta);
  }

  function tell(candidate: Candidate, reward: number | null): void {
    checkReward(candidate.id, reward);
    const meta = sequenceMeta(pending.take(candidate), 'RL');
    const accuracy = reward ?? config.failureReward;
    if (accuracy === null) return;
    finished.push({ ...meta, reward: accuracy ** config.rewardPower });
    if (updating !== null && finished.length >= applyAfter) {
      policy.applyUpdate(updating.update);
      updating = null;
    }
    if (finished.length >= config.batchSize) update(finished.splice(0, config.batchSize));
  }

  function update(batch: readonly RlFinished[]): void {
    const rewards = batch.map((f) => f.reward);
    const { before, after } = minibatchBaseline(baseline, rewards, config.baselineDecay);
    const examples: RlExample[] = batch.map((f) => ({
      decisions: f.decisions,
      oldLogp: f.logp,
      advantage: f.reward - before,
    }));
    baseline = after;
    if (updating !== null) policy.applyUpdate(updating.update);
    start(examples);
    updates += 1;
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
      policy: policy.snapshot(),
      baseline,
      finished: [...finished],
      updates,
      updating: updating?.examples ?? null,
    }),
  };
}
