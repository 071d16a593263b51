/**
 * Turns a forward graph with a scalar loss into a training graph: gradients of the loss by every
 * variable (TF_AddGradients), one ResourceApplyMomentum per variable, and a session whose train
 * step — feed the batch, run the updates, fetch the loss — is one native call.
 */
import {
  DTYPE,
  type Feed,
  type GraphAddon,
  type GraphOutput,
  type HostTensor,
  type SessionHandle,
} from './graph-addon.ts';
import { attr, floatTensor, type GraphBuilder, type GraphVariable } from './graph-builder.ts';
import { encodeSessionConfig, type SessionConfig } from './session-config.ts';
import { CellsearchError } from '../../shared/errors.ts';

/** Momentum SGD as tf.train.momentum: accum = momentum * accum + grad; var -= lr * accum. */
export interface MomentumSettings {
  readonly learningRate: number;
  readonly momentum: number;
}

/** A graph's inputs and loss, as the network builder left them. */
export interface ForwardGraph {
  readonly builder: GraphBuilder;
  readonly inputs: Readonly<Record<string, GraphOutput>>;
  readonly loss: GraphOutput;
}

/** A variable the graph has no gradient for, or a missing initial value. */
export class GraphTrainingError extends CellsearchError {
  constructor(message: string) {
    super('GRAPH_TRAINING', message);
  }
}

/** A training graph in a live session. */
export class GraphTrainer {
  private constructor(
    private readonly addon: GraphAddon,
    private readonly session: SessionHandle,
    private readonly forward: ForwardGraph,
    private readonly variables: readonly GraphVariable[],
    private readonly initOp: string,
    private readonly updateOp: string,
  ) {}

  /** Adds gradients and momentum updates to `forward` and opens a session on it. */
  static create(
    addon: GraphAddon,
    forward: ForwardGraph,
    settings: MomentumSettings,
    config: SessionConfig,
  ): GraphTrainer {
    const b = forward.builder;
    const params = [...b.variables];
    const grads = addon.addGradients(
      b.graph,
      'gradients',
      [forward.loss],
      params.map((v) => v.value),
    );
    const lr = b.scalar(settings.learningRate, 'learning_rate');
    const momentum = b.scalar(settings.momentum, 'momentum');
    const updates = params.map((v, i) => {
      const grad = grads[i];
      if (grad === undefined || grad === null)
        throw new GraphTrainingError(`no gradient reaches "${v.name}" from the loss`);
      const accum = b.variable(`${v.name}/momentum`, v.shape);
      const apply = {
        T: attr.type(DTYPE.float32),
        use_locking: attr.bool(false),
        use_nesterov: attr.bool(false),
      };
      return b.add('ResourceApplyMomentum', [v.handle, accum.handle, lr, grad, momentum], apply, {
        name: `${v.name}/apply_momentum`,
      }).name;
    });
    const initOp = b.group(
      'init',
      b.variables.map((v) => v.assign),
    );
    const updateOp = b.group('train_step', updates);
    const session = addon.newSession(b.graph, encodeSessionConfig(config));
    return new GraphTrainer(addon, session, forward, params, initOp, updateOp);
  }

  /** Sets every trainable variable to `weights` (by variable name) and every momentum to zero. */
  init(weights: ReadonlyMap<string, Float32Array>): void {
    const byName = new Map(this.variables.map((v) => [v.name, v]));
    const feeds: Feed[] = this.forward.builder.variables.map((v) => {
      const own = byName.has(v.name) ? weights.get(v.name) : new Float32Array(size(v.shape));
      if (own === undefined) throw new GraphTrainingError(`no initial value for "${v.name}"`);
      return { output: v.initValue, tensor: floatTensor(v.shape, own) };
    });
    this.addon.run(this.session, feeds, [], [this.initOp]);
  }

  /** One training step in one native call: feeds `batch` (by input name), updates, returns the loss. */
  step(batch: Readonly<Record<string, HostTensor>>): number {
    const feeds = Object.entries(batch).map(([name, tensor]) => {
      const output = this.forward.inputs[name];
      if (output === undefined) throw new GraphTrainingError(`the graph has no input "${name}"`);
      return { output, tensor };
    });
    const [loss] = this.addon.run(this.session, feeds, [this.forward.loss], [this.updateOp]);
    return loss?.data[0] ?? NaN;
  }

  /** The trainable variables' current values, by name. */
  weights(): Map<string, Float32Array> {
    const values = this.addon.run(
      this.session,
      [],
      this.variables.map((v) => v.value),
      [],
    );
    return new Map(
      this.variables.map((v, i) => [v.name, Float32Array.from(values[i]?.data ?? [])]),
    );
  }

  /** Closes the session (the graph goes with the last reference). */
  close(): void {
    this.addon.closeSession(this.session);
  }
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, d) => a * d, 1);
}
