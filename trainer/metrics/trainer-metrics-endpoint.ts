/**
 * `nas-trainer serve --metrics-port`: the trainer's metrics served on their own HTTP endpoint, and
 * the two edges that feed them (the runner wrapper and the gRPC interceptor). Without the flag the
 * same shape does nothing, so the server is wired the same way either way.
 */
import type { ServerInterceptor } from '@grpc/grpc-js';
import type { MetricsAddress } from '../../runtime/metrics-address.ts';
import { startMetricsEndpoint } from '../../runtime/metrics-endpoint.ts';
import type { TrialRunner } from '../runner/trial-runner.ts';
import { observedRunner } from './observed-runner.ts';
import { statusInterceptor } from './status-interceptor.ts';
import { TrainerMetrics, type TrainerMetricsSources } from './trainer-metrics.ts';

/** The trainer's metrics as the server wires them in. */
export interface TrainerMetricsEndpoint {
  /** Where `/metrics` is served; null without `--metrics-port`. */
  readonly url: string | null;
  /** The runner the service should use: `runner`, observed. */
  observe(runner: TrialRunner): TrialRunner;
  /** Interceptors to install innermost on the gRPC server. */
  readonly interceptors: readonly ServerInterceptor[];
  /** Stops serving metrics. */
  close(): Promise<void>;
}

/** Metrics off: nothing observed, nothing served. */
const OFF: TrainerMetricsEndpoint = Object.freeze({
  url: null,
  observe: (runner: TrialRunner) => runner,
  interceptors: [],
  close: () => Promise.resolve(),
});

/**
 * Starts serving the trainer's metrics at `address` (undefined: metrics off); rejects with
 * MetricsListenError when it cannot listen there.
 */
export async function startTrainerMetrics(
  address: MetricsAddress | undefined,
  sources: TrainerMetricsSources,
): Promise<TrainerMetricsEndpoint> {
  if (address === undefined) return OFF;
  const metrics = new TrainerMetrics(sources);
  const { registry } = metrics;
  const endpoint = await startMetricsEndpoint(address, {
    render: () => registry.metrics(),
    contentType: registry.contentType,
  });
  return {
    url: endpoint.url,
    observe: (runner) => observedRunner(runner, metrics),
    interceptors: [statusInterceptor(metrics)],
    close: () => endpoint.close(),
  };
}
