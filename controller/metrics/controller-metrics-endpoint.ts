/**
 * `nas-ctl search --metrics-port`: the search's metrics served on their own HTTP endpoint, with the
 * edges that feed them (trainer clients, search events, the pool and store at each scrape).
 * Without the flag the same shape does nothing, so the search is wired the same way either way.
 */
import type { MetricsAddress } from '../../runtime/metrics-address.ts';
import { startMetricsEndpoint } from '../../runtime/metrics-endpoint.ts';
import type { SearchOrFleetEvent } from '../search/search-events.ts';
import {
  createTrainerClient,
  type TrainerClient,
  type TrainerClientOptions,
} from '../trainer-client/index.ts';
import { ControllerMetrics, type ObservedSearch } from './controller-metrics.ts';
import { clientObserver } from './observed-clients.ts';

/** The search's metrics as `nas-ctl search` wires them in. */
export interface ControllerMetricsEndpoint {
  /** Where `/metrics` is served; null without `--metrics-port`. */
  readonly url: string | null;
  /** Connects to a trainer: a client whose calls are observed. */
  readonly connect: (options: TrainerClientOptions) => TrainerClient;
  /** The running search, read at each scrape; null before its store closes (gauges go empty). */
  attach(search: ObservedSearch | null): void;
  /** Counts a search event. */
  readonly observe: (event: SearchOrFleetEvent) => void;
  /** Stops serving metrics. */
  close(): Promise<void>;
}

/** Metrics off: plain clients, nothing counted, nothing served. */
const OFF: ControllerMetricsEndpoint = Object.freeze({
  url: null,
  connect: createTrainerClient,
  attach: () => undefined,
  observe: () => undefined,
  close: () => Promise.resolve(),
});

/**
 * Starts serving the search's metrics at `address` (undefined: metrics off); rejects with
 * MetricsListenError when it cannot listen there.
 */
export async function startControllerMetrics(
  address: MetricsAddress | undefined,
): Promise<ControllerMetricsEndpoint> {
  if (address === undefined) return OFF;
  const metrics = new ControllerMetrics();
  const { registry } = metrics;
  const endpoint = await startMetricsEndpoint(address, {
    render: () => registry.metrics(),
    contentType: registry.contentType,
  });
  const observed = clientObserver(metrics);
  return {
    url: endpoint.url,
    connect: (options) => observed(createTrainerClient(options)),
    attach: (search) => metrics.attach(search),
    observe: (event) => metrics.observe(event),
    close: () => endpoint.close(),
  };
}
