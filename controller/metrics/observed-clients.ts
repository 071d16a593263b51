/**
 * Trainer clients that report to the controller's metrics: the delay from a trial's result to the
 * next trial sent (to any trainer), and every failed call by gRPC code. The calls are unchanged.
 */
import { status } from '@grpc/grpc-js';
import { defer } from 'rxjs';
import { tap } from 'rxjs/operators';
import { TrainerCallError, type TrainerClient } from '../trainer-client/index.ts';
import type { ControllerMetrics } from './controller-metrics.ts';

/** Results remembered while no send follows them (the search's end leaves up to a slot's worth). */
const MAX_UNMATCHED_RESULTS = 10_000;

/**
 * A wrapper for the clients of one search. Each trial sent is matched with the oldest result that
 * no send has followed yet, and the time between them observed: this spans the controller's
 * reaction (store the result, tell the strategy, ask it, send), not the network's.
 */
export function clientObserver(
  metrics: Pick<ControllerMetrics, 'dispatched' | 'callFailed'>,
): (client: TrainerClient) => TrainerClient {
  const resultAt: number[] = [];
  const failed = (err: unknown): void => {
    if (err instanceof TrainerCallError) metrics.callFailed(codeName(err.grpcCode));
  };
  return (client) => ({
    ...client,
    info: (options) =>
      client.info(options).catch((err: unknown) => {
        failed(err);
        throw err;
      }),
    trial: (request, options) =>
      defer(() => {
        const result = resultAt.shift();
        if (result !== undefined) metrics.dispatched((performance.now() - result) / 1000);
        return client.trial(request, options).pipe(
          tap({
            next: (event) => {
              if (event.type !== 'result') return;
              if (resultAt.push(performance.now()) > MAX_UNMATCHED_RESULTS) resultAt.shift();
            },
            error: failed,
          }),
        );
      }),
  });
}

function codeName(code: number): string {
  const name: unknown = status[code];
  return typeof name === 'string' ? name : String(code);
}
