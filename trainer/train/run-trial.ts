/**
 * Trains one candidate end to end: prepares the data, plans and builds the network, trains it with
 * momentum SGD on a single-period cosine schedule, evaluates every epoch, measures latency, and
 * always frees every tensor it made. Bad input throws; a failure during training (a non-finite
 * loss, out of memory) becomes a failed result with its reason, so one candidate never ends a search.
 */
import { formatDatasetSpec } from '../../shared/dataset-spec.ts';
import { InvalidValueError } from '../../shared/errors.ts';
import { planNetwork, type NetworkPlan } from '../../shared/network-plan.ts';
import { planComplexity } from '../../shared/complexity.ts';
import { buildNetwork, type Network } from '../network/network.ts';
import { prepareData, type PreparedData } from './prepared-data.ts';
import { cancelReason, trainEpoch, type EpochOutcome } from './train-epoch.ts';
import { disposeOptimizer, momentumOptimizer, type Optimizer } from './train-step.ts';
import { evaluate } from './evaluate.ts';
import { measureLatency } from './latency.ts';
import type { EpochMetrics, TrialRequest, TrialResult } from '../../shared/trial.ts';
import type { TrialContext } from './trial.ts';
import { chooseTrainStep, GraphStep, type StepChoice } from './graph-step.ts';

/** Runs `request` to completion, failure or cancellation. */
export async function runTrial(request: TrialRequest, context: TrialContext): Promise<TrialResult> {
  const started = performance.now();
  const data = await readData(request, context);
  if (data === null) {
    const seconds = (performance.now() - started) / 1000;
    return cancelledWhileReading(request, context, seconds);
  }
  const plan = planFor(request, data);
  const choice = chooseTrainStep(request.training, context.backend.backend);
  const size = planComplexity(plan);
  context.onPlanned?.({ params: size.params, multAdds: size.multAdds });
  const network = buildNetwork(plan, {
    seed: request.training.seed,
    dropout: request.training.dropout,
    dropPathKeep: request.training.dropPathKeep,
  });
  const optimizer = momentumOptimizer(
    network,
    request.training.learningRate,
    request.training.momentum,
  );
  const base = {
    params: size.params,
    bnStatistics: size.bnStatistics,
    multAdds: size.multAdds,
    backend: context.backend.backend,
    device: context.backend.device,
  };
  let graph: GraphStep | null = null;
  try {
    graph = graphStepFor(choice, plan, network, request, data);
    base.device = withStep(context.backend.device, graph);
    const outcome = await trainAll(request, data, network, optimizer, context, graph);
    const seconds = (performance.now() - started) / 1000;
    if (outcome.status !== 'succeeded')
      return { ...base, ...outcome, testAccuracy: null, latency: null, seconds };
    const test =
      data.test === null
        ? null
        : await evaluate(network, data.test, data.stats, request.training.batchSize);
    const latency = await measureLatency(network, request.training.batchSize);
    const { classNames } = data.dataset;
    await context.onTrained?.(network, {
      stats: data.stats,
      ...(classNames === undefined ? {} : { classNames }),
    });
    return {
      ...base,
      ...outcome,
      testAccuracy: test?.accuracy ?? null,
      latency,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    context.onFault?.(err);
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return {
      ...base,
      status: 'failed',
      reason,
      epochs: [],
      testAccuracy: null,
      latency: null,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    graph?.close();
    network.dispose();
    disposeOptimizer(optimizer);
  }
}

/** The trial's graph step where it trains with one (full batches of the epoch's batch size). */
function graphStepFor(
  choice: StepChoice,
  plan: NetworkPlan,
  network: Network,
  request: TrialRequest,
  data: PreparedData,
): GraphStep | null {
  if (choice.kind === 'eager') return null;
  const batch = Math.min(request.training.batchSize, data.train.count);
  return GraphStep.create(choice.addon, plan, network, request.training, batch);
}

/**
 * The device description naming the step that trained: `cpu (libtensorflow 2.21.0, 2 threads;
 * graph step, built in 180 ms)` or `...; eager step)`, so results of both paths can be told apart.
 */
function withStep(device: string, graph: GraphStep | null): string {
  const step =
    graph === null ? 'eager step' : `graph step, built in ${Math.round(graph.buildMs)} ms`;
  return device.endsWith(')') ? `${device.slice(0, -1)}; ${step})` : `${device} (${step})`;
}

/**
 * The trial's data, its read bounded by the context's limits; null when the trial was cancelled
 * while reading (a dataset error, or any failure, of a trial not cancelled is thrown).
 */
async function readData(
  request: TrialRequest,
  context: TrialContext,
): Promise<PreparedData | null> {
  try {
    return await prepareData(
      request.dataset,
      request.training.validationSize,
      request.training.seed,
      {
        ...(context.datasetLimits === undefined ? {} : { limits: context.datasetLimits }),
        ...(context.signal === undefined ? {} : { signal: context.signal }),
      },
    );
  } catch (err) {
    if (context.signal?.aborted === true) return null;
    throw err;
  }
}

/** The result of a trial cancelled before its network was planned: nothing built, nothing trained. */
function cancelledWhileReading(
  request: TrialRequest,
  context: TrialContext,
  seconds: number,
): TrialResult {
  const why = context.signal === undefined ? 'cancelled' : cancelReason(context.signal);
  return {
    status: 'cancelled',
    reason: `${why} (while its dataset ${formatDatasetSpec(request.dataset)} was read)`,
    epochs: [],
    testAccuracy: null,
    params: 0,
    bnStatistics: 0,
    multAdds: 0,
    latency: null,
    backend: context.backend.backend,
    device: context.backend.device,
    seconds,
  };
}

/** The network plan for the dataset's image shape and classes; throws InvalidValueError for non-square images. */
function planFor(request: TrialRequest, data: PreparedData): NetworkPlan {
  const { height, width, channels } = data.train.shape;
  if (height !== width) {
    const message = `images of ${data.dataset.name} are ${height}x${width}; the network needs square images`;
    throw new InvalidValueError('dataset', [{ path: 'dataset', message }]);
  }
  return planNetwork(request.genotype, {
    ...request.network,
    imageSize: height,
    channels,
    classes: data.dataset.classCount,
  });
}

async function trainAll(
  request: TrialRequest,
  data: PreparedData,
  network: Network,
  optimizer: Optimizer,
  context: TrialContext,
  graph: GraphStep | null,
): Promise<{ status: TrialResult['status']; reason: string; epochs: EpochMetrics[] }> {
  const epochs: EpochMetrics[] = [];
  const fullPass = Math.max(1, Math.floor(data.train.count / request.training.batchSize));
  const stepsPerEpoch =
    request.training.stepsPerEpoch > 0 ? request.training.stepsPerEpoch : fullPass;
  for (let epoch = 1; epoch <= request.training.epochs; epoch++) {
    const outcome: EpochOutcome = await trainEpoch({
      request,
      data,
      network,
      optimizer,
      context,
      epoch,
      stepsPerEpoch,
      graph,
    });
    if (outcome.kind !== 'done') return { status: outcome.kind, reason: outcome.reason, epochs };
    epochs.push(outcome.metrics);
    context.onEpoch?.(outcome.metrics);
  }
  return { status: 'succeeded', reason: '', epochs };
}
