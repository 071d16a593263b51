/** How a controller connects to one trainer: address, security, deadlines, keepalive and reconnect backoff. */
import type { ChannelOptions } from '@grpc/grpc-js';
import { MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from '../../proto/limits.ts';

/** PEM material for TLS; `cert` and `key` present a client certificate (mutual TLS). */
export interface ClientTls {
  /** CA certificates that sign the trainer's certificate (default: the system's roots). */
  readonly ca?: Buffer | string;
  readonly cert?: Buffer | string;
  readonly key?: Buffer | string;
  /** The name the trainer's certificate must carry, when it differs from the address's host. */
  readonly serverName?: string;
}

/** Options of {@link createTrainerClient}; every time is in milliseconds. */
export interface TrainerClientOptions {
  /** `host:port` of the trainer. */
  readonly address: string;
  /** The trainer's bearer token, sent as `authorization: Bearer <token>` on every call. */
  readonly token?: string;
  /** Connect with TLS (plaintext when absent). */
  readonly tls?: ClientTls;
  /** Deadline of a GetInfo call, which waits for the connection within it (default 10 s). */
  readonly infoDeadlineMs?: number;
  /**
   * Deadline of a CheckDataset call (default 10 min): the trainer reads the whole dataset, which for
   * a large image folder takes minutes.
   */
  readonly checkDatasetDeadlineMs?: number;
  /**
   * A trial waits this long for the connection to be ready before it fails, retryable (default 5 s):
   * a frozen trainer accepts TCP connections but never completes the HTTP/2 handshake.
   */
  readonly connectTimeoutMs?: number;
  /** Deadline of a whole trial unless the trial sets its own (default 24 h). */
  readonly trialDeadlineMs?: number;
  /** Ping the trainer this often during a trial (default 1.5 s). */
  readonly keepaliveTimeMs?: number;
  /**
   * A trainer that does not answer a ping within this is gone (frozen, or its host vanished): the
   * trial fails, retryable (default 3 s; a frozen trainer is noticed within 4.5 s). Trials run in
   * trial processes of their own, so a trainer answers pings at once even mid-step; the margin is
   * for this process, whose own stalls (a policy update, a GC pause) delay reading the answer.
   */
  readonly keepaliveTimeoutMs?: number;
  /** First and longest wait between reconnection attempts (defaults 1 s and 10 s; doubling between). */
  readonly reconnectBackoffMs?: { readonly initial: number; readonly max: number };
}

/** The defaults of every optional time. */
export const CLIENT_DEFAULTS = Object.freeze({
  infoDeadlineMs: 10_000,
  checkDatasetDeadlineMs: 600_000,
  connectTimeoutMs: 5_000,
  trialDeadlineMs: 24 * 3600_000,
  keepaliveTimeMs: 1_500,
  keepaliveTimeoutMs: 3_000,
  reconnectBackoffMs: Object.freeze({ initial: 1_000, max: 10_000 }),
});

/** The gRPC channel options for `options`. */
export function channelOptions(options: TrainerClientOptions): ChannelOptions {
  const backoff = options.reconnectBackoffMs ?? CLIENT_DEFAULTS.reconnectBackoffMs;
  return {
    'grpc.keepalive_time_ms': options.keepaliveTimeMs ?? CLIENT_DEFAULTS.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': options.keepaliveTimeoutMs ?? CLIENT_DEFAULTS.keepaliveTimeoutMs,
    'grpc.keepalive_permit_without_calls': 0,
    'grpc.initial_reconnect_backoff_ms': backoff.initial,
    'grpc.max_reconnect_backoff_ms': backoff.max,
    'grpc.max_send_message_length': MAX_REQUEST_BYTES,
    'grpc.max_receive_message_length': MAX_RESPONSE_BYTES,
    ...(options.tls?.serverName === undefined
      ? {}
      : { 'grpc.ssl_target_name_override': options.tls.serverName }),
  };
}
