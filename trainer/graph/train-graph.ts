/**
 * Turns a forward graph with a scalar loss into a training graph: gradients of the loss by every
 * trainable variable (TF_AddGradients), then the trainer's optimiser as trainer/train/flat-momentum.ts
 * computes it — L2 decay terms, global-norm clipping, one ResourceApplyMomentum per variable — and
 * a session whose train step (feed the batch and learning rate, run the updates, fetch the loss) is
 * one native call.
 */
import {
  type Feed,
  type GraphAddon,
  type GraphOutput,
  type HostTensor,
  type SessionHandle,
} from './graph-addon.ts';
import { floatTensor, type GraphBuilder, type GraphVariable } from './graph-builder.ts';
import {
  addOptimizer,
  isSlot,
  type MomentumSettings,
  type OptimizerOps,
} from './graph-optimizer.ts';
import { encodeSessionConfig, type SessionConfig } from './session-config.ts';
import { CellsearchError } from '../../shared/errors.ts';

export type { MomentumSettings } from './graph-optimizer.ts';

/** A graph's inputs and loss, as the network builder left them. */
export interface ForwardGraph {
  readonly builder: GraphBuilder;
  readonly inputs: Readonly<Record<string, GraphOutput>>;
  readonly loss: GraphOutput;
  /** Ops every train step runs besides the updates (batch norm's moving averages). */
  readonly updates?: readonly string[];
  /** Scalars a step fetches besides the loss (e.g. `correct`), by name. */
  readonly metrics?: Readonly<Record<string, GraphOutput>>;
  /** The inference forward on the same variables, where the builder made one. */
  readonly evaluation?: EvaluationGraph;
}

/** An inference forward: its inputs (`images`, `labels`), summed loss and hits of a batch. */
export interface EvaluationGraph {
  readonly inputs: Readonly<Record<string, GraphOutput>>;
  readonly loss: GraphOutput;
  readonly correct: GraphOutput;
}

/** One evaluated batch: summed cross-entropy and hits. */
export interface BatchEvaluation {
  readonly loss: number;
  readonly correct: number;
}

/** What one step returns: the total loss (decay included) and the forward graph's metrics. */
export interface GraphStepOutcome {
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** A missing initial value, or a fed input the graph does not have. */
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
    private readonly initOp: string,
    private readonly ops: OptimizerOps,
  ) {}

  /** Adds gradients and momentum updates to `forward` and opens a session on it. */
  static create(
    addon: GraphAddon,
    forward: ForwardGraph,
    settings: MomentumSettings,
    config: SessionConfig,
  ): GraphTrainer {
    const b = forward.builder;
    const ops = addOptimizer(addon, forward.builder, forward.loss, forward.updates ?? [], settings);
    const initOp = b.group(
      'init',
      b.variables.map((v) => v.assign),
    );
    const session = addon.newSession(b.graph, encodeSessionConfig(config));
    return new GraphTrainer(addon, session, forward, initOp, ops);
  }

  /**
   * Sets every variable named in `weights` (trainable or not) to its value; variables the map
   * lacks must be optimiser slots, which start at zero.
   */
  init(weights: ReadonlyMap<string, Float32Array>): void {
    const feeds: Feed[] = this.forward.builder.variables.map((v) => {
      const own = weights.get(v.name) ?? (isSlot(v) ? new Float32Array(size(v.shape)) : undefined);
      if (own === undefined) throw new GraphTrainingError(`no initial value for "${v.name}"`);
      return { output: v.initValue, tensor: floatTensor(v.shape, own) };
    });
    this.addon.run(this.session, feeds, [], [this.initOp]);
  }

  /** One training step in one native call: feeds `batch` (by input name), updates, returns the loss. */
  step(batch: Readonly<Record<string, HostTensor>>): number {
    return this.run(batch).loss;
  }

  /** One step at `learningRate` (default: the settings' rate); the loss and the metrics. */
  run(batch: Readonly<Record<string, HostTensor>>, learningRate?: number): GraphStepOutcome {
    const feeds = Object.entries(batch).map(([name, tensor]) => {
      const output = this.forward.inputs[name];
      if (output === undefined) throw new GraphTrainingError(`the graph has no input "${name}"`);
      return { output, tensor };
    });
    if (learningRate !== undefined) {
      feeds.push({ output: this.ops.learningRate, tensor: floatTensor([], [learningRate]) });
    }
    const names = Object.keys(this.forward.metrics ?? {});
    const metrics = names.map((n) => this.forward.metrics?.[n] ?? this.ops.total);
    const fetched = this.addon.run(
      this.session,
      feeds,
      [this.ops.total, ...metrics],
      [this.ops.updateOp],
    );
    const value = (i: number): number => fetched[i]?.data[0] ?? NaN;
    return {
      loss: value(0),
      metrics: Object.fromEntries(names.map((n, i) => [n, value(i + 1)])),
    };
  }

  /** Evaluates one batch (fed by input name) in inference mode; updates nothing. */
  evaluate(batch: Readonly<Record<string, HostTensor>>): BatchEvaluation {
    const ev = this.forward.evaluation;
    if (ev === undefined) throw new GraphTrainingError('the graph has no inference forward');
    const feeds = Object.entries(batch).map(([name, tensor]) => {
      const output = ev.inputs[name];
      if (output === undefined) throw new GraphTrainingError(`evaluation has no input "${name}"`);
      return { output, tensor };
    });
    const [loss, correct] = this.addon.run(this.session, feeds, [ev.loss, ev.correct], []);
    return { loss: loss?.data[0] ?? NaN, correct: correct?.data[0] ?? NaN };
  }

  /** The trainable variables' current values, by name. */
  weights(): Map<string, Float32Array> {
    return this.read((v) => v.trainable);
  }

  /** Every variable of the network (trainable and statistics, not optimiser slots), by name. */
  state(): Map<string, Float32Array> {
    return this.read((v) => !isSlot(v));
  }

  /** Closes the session (the graph goes with the last reference). */
  close(): void {
    this.addon.closeSession(this.session);
  }

  private read(keep: (v: GraphVariable) => boolean): Map<string, Float32Array> {
    const chosen = this.forward.builder.variables.filter(keep);
    const values = this.addon.run(
      this.session,
      [],
      chosen.map((v) => v.value),
      [],
    );
    return new Map(chosen.map((v, i) => [v.name, Float32Array.from(values[i]?.data ?? [])]));
  }
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, d) => a * d, 1);
}
