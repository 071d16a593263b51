/**
 * The weights of one network as named tfjs variables: each name says where the weight sits
 * (`cell_3/normal/block_2/opA/sep_conv_5x5/layer_0/depthwise`), and each parameter's initial value
 * comes from the store's seed and the parameter's creation index.
 */
import { tf } from '../tf.ts';
import type { Initializer } from './initializers.ts';
import { deriveSeed } from './seeds.ts';

/** One weight of a network. */
export interface Param {
  readonly name: string;
  readonly variable: tf.Variable;
  /** False for BN moving mean and variance, which the forward pass updates itself. */
  readonly trainable: boolean;
  /** L2 weight decay applies (conv and dense kernels, not BN, not biases). */
  readonly decay: boolean;
}

/** How a parameter is used, besides its shape and initial value. */
export interface ParamRole {
  readonly trainable: boolean;
  readonly decay: boolean;
}

/** A kernel of a conv or dense layer: trained, decayed. */
export const KERNEL: ParamRole = Object.freeze({ trainable: true, decay: true });
/** A bias or BN gamma/beta: trained, not decayed. */
export const SHIFT_OR_SCALE: ParamRole = Object.freeze({ trainable: true, decay: false });
/** A BN moving statistic: neither trained nor decayed. */
export const STATISTIC: ParamRole = Object.freeze({ trainable: false, decay: false });

/** The named parameters of one network, in creation order; owns their variables. */
export class ParamStore {
  private readonly params: Param[] = [];
  private readonly byName = new Map<string, Param>();

  /** `seed` seeds every initialiser (with the parameter's index). */
  constructor(private readonly seed: number) {}

  /** Creates the variable `name` of `shape`; throws if the name is taken. */
  create(name: string, shape: readonly number[], init: Initializer, role: ParamRole): tf.Variable {
    if (this.byName.has(name)) throw new Error(`parameter ${name} is defined twice`);
    const seed = deriveSeed(this.seed, this.params.length);
    // tfjs names are engine-global; ours are per network, so tfjs picks a unique name.
    const variable = tf.tidy(() => tf.variable(init(shape, seed), role.trainable));
    const param: Param = { name, variable, ...role };
    this.params.push(param);
    this.byName.set(name, param);
    return variable;
  }

  /** Every parameter, in creation order. */
  list(): readonly Param[] {
    return this.params;
  }

  /** The parameter called `name`, if any. */
  get(name: string): Param | undefined {
    return this.byName.get(name);
  }

  /** The variables the optimiser updates. */
  trainable(): tf.Variable[] {
    return this.params.filter((p) => p.trainable).map((p) => p.variable);
  }

  /** The variables L2 weight decay applies to. */
  decayed(): tf.Variable[] {
    return this.params.filter((p) => p.decay).map((p) => p.variable);
  }

  /** Number of trainable scalars (equals `complexity().params`). */
  trainableCount(): number {
    return count(this.params.filter((p) => p.trainable));
  }

  /**
   * Number of non-trainable scalars, the BN moving statistics (equals `complexity().bnStatistics`).
   */
  nonTrainableCount(): number {
    return count(this.params.filter((p) => !p.trainable));
  }

  /** Frees every variable; the store must not be used afterwards. */
  dispose(): void {
    for (const p of this.params.splice(0)) p.variable.dispose();
    this.byName.clear();
  }
}

function count(params: readonly Param[]): number {
  return params.reduce((n, p) => n + p.variable.size, 0);
}
