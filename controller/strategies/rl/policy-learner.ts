/**
 * The RL policy and its training, shared by the RL controller (rl-strategy.ts) and the Evo-NAS
 * hybrid: every `batchSize` finished trials make a minibatch with advantages against the
 * moving-average baseline (baseline.ts), whose PPO or REINFORCE update runs in the update worker
 * while the search goes on. With `pqtSize` > 0, each update also replays the best distinct cells seen
 * (Evo-NAS's priority-queue training) with their advantage over the same baseline.
 *
 * When an update is applied is counted in results, never in time, so the strategy stays a
 * deterministic function of its asks and tells: an update started when `learned` results had joined
 * minibatches is applied once `learned + lag` have, lag = max(ceil(batchSize / 2), in flight). Half
 * a minibatch is the lag of one search with few trainers (a whole one learned clearly less in the
 * synthetic-reward test); with many trainers in flight a result comes back only after about as many
 * others, so the update gets as long as a trial takes. The main thread waits only for an update
 * that is due and not done. Updates queue meanwhile: each starts from the previous one's result in
 * the worker (policy.ts), so none waits for another to be applied.
 */
import type { Rng } from '../../../shared/rng.ts';
import type { SearchSpace } from '../../../shared/search-space.ts';
import type { RlConfig } from '../types.ts';
import { minibatchBaseline } from './baseline.ts';
import { Policy, type PolicyOptions } from './policy.ts';
import type { BestCell, LearnerState, QueuedUpdate, RlExample, RlFinished } from './rl-types.ts';
import type { SampledSequence } from './sampler.ts';
import type { PendingUpdate } from './update-thread.ts';

/** The options of a learner: the policy's, its minibatches' and its priority queue's. */
export type LearnerOptions = PolicyOptions &
  Pick<RlConfig, 'batchSize' | 'baselineDecay'> & {
    /** Best cells each update also imitates (0: none). */
    readonly pqtSize: number;
  };

/** A policy trained on every result it is told. */
export class PolicyLearner {
  readonly policy: Policy;
  private readonly finished: RlFinished[];
  private baseline: number | null;
  private updates: number;
  private readonly best: BestCell[];
  private readonly queue: (QueuedUpdate & { readonly update: PendingUpdate })[] = [];

  /** Fresh (weights drawn from `rng`) or continuing from `state`. */
  constructor(
    space: SearchSpace,
    private readonly options: LearnerOptions,
    rng: Rng,
    state?: LearnerState,
  ) {
    this.policy = state
      ? Policy.restore(space, options, state.policy)
      : Policy.create(space, options, rng);
    this.finished = [...(state?.finished ?? [])];
    this.baseline = state?.baseline ?? null;
    this.updates = state?.updates ?? 0;
    this.best = [...(state?.best ?? [])];
    for (const queued of state?.queue ?? []) this.start(queued.examples, queued.applyAt);
  }

  /** A decision sequence drawn from the policy. */
  sample(rng: Rng): SampledSequence {
    return this.policy.sample(rng);
  }

  /**
   * Takes one finished trial (its reward already the strategy's): it joins the minibatch and, if
   * good enough, the best cells. `inFlight` is the number of candidates still out.
   */
  learn(result: RlFinished, inFlight: number): void {
    this.remember(result);
    this.finished.push(result);
    this.applyDue();
    if (this.finished.length >= this.options.batchSize)
      this.update(this.finished.splice(0, this.options.batchSize), inFlight);
  }

  /** The training state, JSON-able. */
  state(): LearnerState {
    return {
      policy: this.policy.snapshot(),
      baseline: this.baseline,
      finished: [...this.finished],
      updates: this.updates,
      queue: this.queue.map(({ examples, applyAt }) => ({ examples, applyAt })),
      best: [...this.best],
    };
  }

  /** Results that have joined minibatches so far. */
  private learned(): number {
    return this.updates * this.options.batchSize + this.finished.length;
  }

  private applyDue(): void {
    while (this.queue[0] !== undefined && this.queue[0].applyAt <= this.learned()) {
      const { update } = this.queue[0];
      this.queue.shift();
      this.policy.applyUpdate(update);
    }
  }

  private remember({ decisions, reward }: RlFinished): void {
    const size = this.options.pqtSize;
    const key = decisions.join(',');
    if (size === 0 || this.best.some((b) => b.decisions.join(',') === key)) return;
    const worst = this.best[size - 1];
    if (worst !== undefined && reward <= worst.reward) return;
    const at = this.best.findIndex((b) => reward > b.reward);
    this.best.splice(at < 0 ? this.best.length : at, 0, { decisions: [...decisions], reward });
    this.best.length = Math.min(this.best.length, size);
  }

  private update(batch: readonly RlFinished[], inFlight: number): void {
    const rewards = batch.map((f) => f.reward);
    const { before, after } = minibatchBaseline(this.baseline, rewards, this.options.baselineDecay);
    this.baseline = after;
    // Replayed cells were sampled by no one policy: their ratio is taken against the current one.
    const replay: RlExample[] = this.best.map((b) => ({
      decisions: b.decisions,
      oldLogp: this.policy.logProb(b.decisions),
      advantage: b.reward - before,
    }));
    const examples: RlExample[] = batch.map((f) => ({
      decisions: f.decisions,
      oldLogp: f.logp,
      advantage: f.reward - before,
    }));
    this.updates += 1;
    const lag = Math.max(Math.ceil(this.options.batchSize / 2), inFlight);
    this.start([...examples, ...replay], this.learned() + lag);
  }

  private start(examples: readonly RlExample[], applyAt: number): void {
    this.queue.push({ examples, applyAt, update: this.policy.startUpdate(examples) });
  }
}
