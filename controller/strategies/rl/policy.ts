/**
 * The RL controller's policy: parameters, Adam state and sampling weights, with sampling, updates and
 * an exact snapshot. Sampling runs in plain JavaScript (sampler.ts); updates (policy-gradient.ts and
 * Adam) run in the update worker thread (update-thread.ts), so they can proceed while the caller goes
 * on. Updates may queue: one started before the previous was applied continues from that one's
 * result in the worker, so applying them in order gives the same parameters as one at a time.
 */
import type { Rng } from '../../../shared/rng.ts';
import type { SearchSpace } from '../../../shared/search-space.ts';
import { SnapshotMismatchError } from '../errors.ts';
import type { RlConfig } from '../types.ts';
import type { PolicySnapshot } from './rl-types.ts';
import { initAdam, type AdamState } from './adam.ts';
import type { TrainingExample } from './policy-objective-types.ts';
import {
  PARAM_NAMES,
  initParams,
  mapParams,
  policyLayout,
  type PolicyLayout,
  type PolicyParams,
} from './policy-layout.ts';
import {
  sampleSequence,
  samplerWeights,
  sequenceLogProb,
  type SampledSequence,
  type SamplerWeights,
} from './sampler.ts';
import { dropChain, startUpdate, type PendingUpdate } from './update-thread.ts';

/** The policy options an update needs. */
export type PolicyOptions = Pick<
  RlConfig,
  'lstmUnits' | 'learningRate' | 'entropyWeight' | 'clip' | 'ppoEpochs' | 'algorithm' | 'initRange'
>;

let chains = 0;

/** An LSTM policy over the decision slots of one search space. */
export class Policy {
  private weights: SamplerWeights;
  /** Its updates' chain in the worker. */
  private readonly chain = ++chains;
  /** Updates started and not yet applied. */
  private unapplied = 0;

  private constructor(
    readonly layout: PolicyLayout,
    private readonly params: PolicyParams,
    private readonly adam: AdamState,
    private readonly options: PolicyOptions,
  ) {
    this.weights = samplerWeights(layout, params);
  }

  /** A fresh policy with weights drawn from `rng`, U(-initRange, initRange). */
  static create(space: SearchSpace, options: PolicyOptions, rng: Rng): Policy {
    const layout = policyLayout(space, options.lstmUnits);
    return new Policy(
      layout,
      initParams(layout, rng, options.initRange),
      initAdam(layout),
      options,
    );
  }

  /** The policy saved in `snapshot`; throws SnapshotMismatchError if its shapes do not fit. */
  static restore(space: SearchSpace, options: PolicyOptions, snapshot: PolicySnapshot): Policy {
    const layout = policyLayout(space, options.lstmUnits);
    const load = (what: string, arrays: PolicySnapshot['params']): PolicyParams =>
      mapParams(layout, (name, size) => {
        const values = arrays[name];
        if (values?.length !== size) {
          throw new SnapshotMismatchError(
            `snapshot ${what}.${name} has ${values?.length ?? 0} values; this search space and ` +
              `lstmUnits ${options.lstmUnits} need ${size}`,
          );
        }
        return Float32Array.from(values);
      });
    const params = load('params', snapshot.params);
    const adam = { m: load('m', snapshot.m), v: load('v', snapshot.v), step: snapshot.step };
    return new Policy(layout, params, adam, options);
  }

  /** The sampling weights of the current parameters (for sampler.ts's `runPolicy`). */
  get samplerWeights(): SamplerWeights {
    return this.weights;
  }

  /** Draws a decision sequence and its log-probability. */
  sample(rng: Rng): SampledSequence {
    return sampleSequence(this.layout, this.weights, rng);
  }

  /** The log-probability of a decision sequence under the current weights. */
  logProb(decisions: readonly number[]): number {
    return sequenceLogProb(this.layout, this.weights, decisions);
  }

  /**
   * Starts one update on a minibatch in the update worker: `ppoEpochs` Adam steps for PPO (each
   * recomputing the ratio against the sampling log-probabilities), one for REINFORCE (its loss is
   * only unbiased on-policy). The policy is unchanged until the update is applied with
   * {@link applyUpdate}; the update starts from the parameters of this call, or from the result of
   * the previous update if that one is not applied yet. Apply updates in the order they started.
   */
  startUpdate(examples: readonly TrainingExample[]): PendingUpdate {
    const { algorithm, ppoEpochs, learningRate, clip, entropyWeight } = this.options;
    const epochs = algorithm === 'ppo' ? ppoEpochs : 1;
    const options = { algorithm, clip, entropyWeight, learningRate, epochs };
    const start = this.unapplied === 0 ? { params: this.params, adam: this.adam } : null;
    this.unapplied += 1;
    return startUpdate(this.chain, this.layout, options, start, examples);
  }

  /** Waits for `update` (the oldest not applied) if it is still running and makes its result the policy. */
  applyUpdate(update: PendingUpdate): void {
    this.unapplied -= 1;
    if (this.unapplied === 0) dropChain(this.chain);
    update.wait(this.params, this.adam);
    this.weights = samplerWeights(this.layout, this.params);
  }

  /** One update on a minibatch, applied before it returns. */
  update(examples: readonly TrainingExample[]): void {
    this.applyUpdate(this.startUpdate(examples));
  }

  /** Weights and Adam state as plain number arrays; float32 values survive JSON exactly. */
  snapshot(): PolicySnapshot {
    const plain = (arrays: PolicyParams): Record<string, number[]> =>
      Object.fromEntries(PARAM_NAMES.map((name) => [name, Array.from(arrays[name])]));
    return {
      params: plain(this.params),
      m: plain(this.adam.m),
      v: plain(this.adam.v),
      step: this.adam.step,
    };
  }
}
