/**
 * The hybrid's policy and its training, as the RL controller trains its own (rl-strategy.ts): every
 * `batchSize` finished trials make a minibatch with advantages against the moving-average baseline
 * (baseline.ts); its PPO or REINFORCE update runs in the update worker and is applied once the next
 * minibatch is half full. Evo-NAS's priority-queue training joins it: each update also replays the
 * `pqtSize` best cells seen, with their advantage over the same baseline (taken against the policy
 * the update starts from), so the policy keeps proposing what the best cells chose.
 */
import type { Rng } from '../../../shared/rng.ts';
import type { SearchSpace } from '../../../shared/search-space.ts';
import type { HybridConfig } from '../../../shared/strategy-config.ts';
import { minibatchBaseline } from '../rl/baseline.ts';
import { mapParams } from '../rl/policy-layout.ts';
import { Policy } from '../rl/policy.ts';
import type { RlExample, RlFinished } from '../rl/rl-types.ts';
import {
  sampleSequence,
  samplerWeights,
  type SampledSequence,
  type SamplerWeights,
} from '../rl/sampler.ts';
import type { PendingUpdate } from '../rl/update-thread.ts';
import type { HybridBest, PolicyTrainerState } from './hybrid-types.ts';
import { mutateSequence } from './policy-mutation.ts';

/** The policy that proposes the hybrid's candidates, trained on every result. */
export class PolicyTrainer {
  private readonly policy: Policy;
  private weights: SamplerWeights;
  private readonly finished: RlFinished[];
  private baseline: number | null;
  private updates: number;
  private best: HybridBest[];
  private updating: { examples: readonly RlExample[]; update: PendingUpdate } | null = null;

  /** Fresh (weights drawn from `rng`) or continuing from `state`. */
  constructor(
    space: SearchSpace,
    private readonly config: HybridConfig,
    rng: Rng,
    state?: PolicyTrainerState,
  ) {
    this.policy = state
      ? Policy.restore(space, config, state.policy)
      : Policy.create(space, config, rng);
    this.weights = this.samplingWeights();
    this.finished = [...(state?.finished ?? [])];
    this.baseline = state?.baseline ?? null;
    this.updates = state?.updates ?? 0;
    this.best = [...(state?.best ?? [])];
    if (state?.updating) this.start(state.updating);
  }

  /** A decision sequence drawn from the policy. */
  sample(rng: Rng): SampledSequence {
    return sampleSequence(this.policy.layout, this.weights, rng);
  }

  /** `parent` with the `mutated` slots re-sampled from the policy (policy-mutation.ts). */
  mutate(parent: readonly number[], mutated: readonly number[], rng: Rng): SampledSequence {
    return mutateSequence(this.policy.layout, this.weights, parent, mutated, rng);
  }

  /** Takes one finished trial: it joins the minibatch and, if good enough, the best cells. */
  learn(result: RlFinished): void {
    this.remember(result);
    this.finished.push(result);
    if (this.updating !== null && this.finished.length >= Math.ceil(this.config.batchSize / 2))
      this.apply();
    if (this.finished.length >= this.config.batchSize)
      this.update(this.finished.splice(0, this.config.batchSize));
  }

  /** The training state, JSON-able. */
  state(): PolicyTrainerState {
    return {
      policy: this.policy.snapshot(),
      baseline: this.baseline,
      finished: [...this.finished],
      updates: this.updates,
      updating: this.updating?.examples ?? null,
      best: [...this.best],
    };
  }

  private remember({ decisions, reward }: RlFinished): void {
    const size = this.config.pqtSize;
    const key = decisions.join(',');
    if (size === 0 || this.best.some((b) => b.decisions.join(',') === key)) return;
    const worst = this.best[size - 1];
    if (worst !== undefined && reward <= worst.reward) return;
    const at = this.best.findIndex((b) => reward > b.reward);
    this.best.splice(at < 0 ? this.best.length : at, 0, { decisions: [...decisions], reward });
    this.best.length = Math.min(this.best.length, size);
  }

  private update(batch: readonly RlFinished[]): void {
    const rewards = batch.map((f) => f.reward);
    const { before, after } = minibatchBaseline(this.baseline, rewards, this.config.baselineDecay);
    this.baseline = after;
    if (this.updating !== null) this.apply();
    const replay = this.best.map((b) => ({
      decisions: b.decisions,
      oldLogp: this.policy.logProb(b.decisions),
      advantage: b.reward - before,
    }));
    const examples = batch.map((f) => ({
      decisions: f.decisions,
      oldLogp: f.logp,
      advantage: f.reward - before,
    }));
    this.start([...examples, ...replay]);
    this.updates += 1;
  }

  private start(examples: readonly RlExample[]): void {
    this.updating = { examples, update: this.policy.startUpdate(examples) };
  }

  private apply(): void {
    if (this.updating === null) return;
    this.policy.applyUpdate(this.updating.update);
    this.updating = null;
    this.weights = this.samplingWeights();
  }

  /** The sampler's weights of the current parameters (Policy keeps its own private copy). */
  private samplingWeights(): SamplerWeights {
    const { layout } = this.policy;
    const { params } = this.policy.snapshot();
    return samplerWeights(
      layout,
      mapParams(layout, (name) => Float32Array.from(params[name] ?? [])),
    );
  }
}
