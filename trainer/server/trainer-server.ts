/**
 * The trainer's gRPC server: nas.v1.TrainerService, the standard health service and server reflection
 * on one port, with optional TLS / mutual TLS, an optional bearer token, message size limits and a
 * graceful shutdown that reports the trials it cancels.
 */
import { Server, type ServerInterceptor } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import { loadNasV1, loadTrainerPackageDefinition } from '../../proto/load.ts';
import { MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from '../../proto/limits.ts';
import { tokenInterceptor } from './auth.ts';
import { checkedService, malformedRequestInterceptor } from './checked-deserialize.ts';
import { ListenError } from './errors.ts';
import { RefusalLog } from './refusal-log.ts';
import { serverCredentials, type TlsFiles } from './credentials.ts';
import { trainerHandlers } from './trainer-handlers.ts';
import type { TrialService } from './trial-service.ts';

/** The full name of the trainer service, as health checks and reflection name it. */
export const TRAINER_SERVICE_NAME = 'nas.v1.TrainerService';

/**
 * Server keepalive: ping each caller every 10 s; one that does not answer within 5 s is gone, and
 * its trials are cancelled. A controller whose host died or whose link was cut is noticed within
 * 15 s (or at the first ping after the link returns, which the peer's kernel resets), so its slot
 * is free for the controller that re-dispatches the trial instead of training for nobody.
 */
const KEEPALIVE = { 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5_000 };

/** How long shutdown waits for cancelled trials to report before it closes every connection. */
const DEFAULT_GRACE_MS = 10_000;

/** What the server serves and how. */
export interface TrainerServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly service: TrialService;
  readonly logger: Logger;
  readonly tls?: TlsFiles;
  /** Callers must send `authorization: Bearer <token>`. */
  readonly token?: string;
  /** Milliseconds shutdown waits for running trials to end (default 10 s). */
  readonly graceMs?: number;
  /** Interceptors installed innermost, before the token check: they see every call's status. */
  readonly interceptors?: readonly ServerInterceptor[];
}

/** A listening trainer server. */
export interface TrainerServer {
  /** `host:port` as bound (the actual port when 0 was asked for). */
  readonly address: string;
  readonly port: number;
  /**
   * Stops taking calls, cancels the running trials with `reason` (each stream gets its cancelled
   * result), and closes once they ended or the grace period is over.
   */
  shutdown(reason: string): Promise<void>;
}

/** Starts a trainer server; resolves once it listens. */
export async function startTrainerServer(options: TrainerServerOptions): Promise<TrainerServer> {
  const { logger, service } = options;
  const definition = loadTrainerPackageDefinition();
  const interceptors: ServerInterceptor[] = [...(options.interceptors ?? [])];
  const refusals = new RefusalLog(logger);
  if (options.token !== undefined) {
    interceptors.push(
      tokenInterceptor(options.token, (method, peer) =>
        refusals.refused({ reason: 'unauthenticated call refused', peer, method }),
      ),
    );
  }
  // After the token check: a caller without the token learns nothing about its messages.
  interceptors.push(malformedRequestInterceptor());
  const server = new Server({
    interceptors,
    'grpc.max_receive_message_length': MAX_REQUEST_BYTES,
    'grpc.max_send_message_length': MAX_RESPONSE_BYTES,
    ...KEEPALIVE,
  });
  server.addService(
    checkedService(loadNasV1().TrainerService.service),
    trainerHandlers(service, logger),
  );
  const health = new HealthImplementation({});
  const setHealth = (ready: boolean): void => {
    const state = ready ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', state);
    health.setStatus(TRAINER_SERVICE_NAME, state);
  };
  setHealth(service.readiness.ready());
  const unsubscribe = service.readiness.subscribe(setHealth);
  health.addToServer(server);
  new ReflectionService(definition).addToServer(server);
  const credentials = await serverCredentials(options.tls);
  const asked = hostPort(options.host, options.port);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(asked, credentials, (err, bound) => {
      if (err) return reject(new ListenError(asked, bindFailure(err)));
      return resolve(bound);
    });
  });
  return {
    address: hostPort(options.host, port),
    port,
    shutdown: async (reason) => {
      unsubscribe();
      await shutdown(server, health, service, reason, options.graceMs ?? DEFAULT_GRACE_MS);
      refusals.close();
    },
  };
}

async function shutdown(
  server: Server,
  health: HealthImplementation,
  service: TrialService,
  reason: string,
  graceMs: number,
): Promise<void> {
  health.setStatus('', 'NOT_SERVING');
  health.setStatus(TRAINER_SERVICE_NAME, 'NOT_SERVING');
  // The running trials end first and send their cancelled results over connections still open;
  // only then does the server stop (a GOAWAY first could make a caller drop its session unread).
  const closed = service.close(reason);
  const drained = closed.then(
    () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  );
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'late'>(
    (resolve) => (timer = setTimeout(() => resolve('late'), graceMs)),
  );
  const outcome = await Promise.race([drained, grace]);
  clearTimeout(timer);
  if (outcome === 'late') server.forceShutdown();
}

/** The reason inside grpc-js's "No address added out of total N resolved errors: [...]". */
function bindFailure(err: Error): string {
  const inner = /errors: \[(.*)\]$/s.exec(err.message);
  return inner?.[1] ?? err.message;
}

/** `host:port`, with IPv6 hosts in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
