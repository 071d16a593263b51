/**
 * A controller's connection to one trainer: GetInfo as a promise, a trial as an Observable of its
 * events over the trainer's one Session stream (the only trial transport; a trainer without it is
 * refused with TrainerProtocolError). Every call carries a deadline and the bearer token; the
 * channel keeps itself alive with pings and reconnects with exponential backoff. Failures are
 * marked retryable or not; whether a trial goes out again is decided in controller/search.
 */
import {
  connectivityState,
  credentials,
  Metadata,
  status,
  type Client,
  type ChannelCredentials,
} from '@grpc/grpc-js';
import { defer, type Observable } from 'rxjs';
import { mergeMap } from 'rxjs/operators';
import type { DatasetSpec } from '../../shared/dataset-spec.ts';
import type { TrialRequest } from '../../shared/trial.ts';
import { trainRequestToWire } from '../../proto/codec.ts';
import {
  checkDatasetRequestToWire,
  checkedDatasetFromWire,
  type CheckedDataset,
} from '../../proto/dataset-codec.ts';
import { trainerInfoFromWire, type StreamedTrialEvent } from '../../proto/event-codec.ts';
import { loadNasV1 } from '../../proto/load.ts';
import type { TrainerInfo } from '../../proto/trainer-info.ts';
import {
  CLIENT_DEFAULTS,
  channelOptions,
  type ClientTls,
  type TrainerClientOptions,
} from './client-options.ts';
import { callError, TrainerCallError } from './errors.ts';
import { sessionProtocolRefusal } from './session-protocol.ts';
import { TrialSession } from './trial-session.ts';

/** Per-trial options. */
export interface TrialCallOptions {
  /** A label for the trainer's log. */
  readonly trialId?: string;
  /** Deadline of this trial in milliseconds from the subscription (default: the client's). */
  readonly deadlineMs?: number;
}

/** A connection to one trainer. */
export interface TrainerClient {
  /** The trainer's address. */
  readonly address: string;
  /**
   * Asks the trainer for its capacity, load, backend and versions; waits for the connection within
   * the deadline. Rejects with TrainerProtocolError (not retryable) when the trainer's protocol has
   * no Session RPC (before 1.1). With `failFast` it does not wait for a connection: a refused one
   * fails at once, with its cause.
   */
  info(options?: { readonly failFast?: boolean }): Promise<TrainerInfo>;
  /**
   * The events of one trial on the trainer's Session stream, started anew on each subscription;
   * completes after the result. Unsubscribing cancels the trial. Fails fast (retryable) when the
   * trainer cannot be reached; asks GetInfo first when {@link info} never answered, so a trainer
   * without the Session RPC is refused as there.
   */
  trial(request: TrialRequest, options?: TrialCallOptions): Observable<StreamedTrialEvent>;
  /**
   * Asks the trainer to read the dataset `spec` names and describe it (protocol 1.3); rejects with
   * a TrainerCallError: FAILED_PRECONDITION or PERMISSION_DENIED when it cannot read it,
   * UNIMPLEMENTED from an older trainer, CANCELLED once `abort` fires (reading can take minutes).
   */
  checkDataset(spec: DatasetSpec, abort?: AbortSignal): Promise<CheckedDataset>;
  /** Closes the channel; running trials are cancelled. */
  close(): void;
}

/** Connects to a trainer (lazily: the first call opens the connection). */
export function createTrainerClient(options: TrainerClientOptions): TrainerClient {
  const { address, token } = options;
  const nas = loadNasV1();
  const client = new nas.TrainerService(
    address,
    channelCredentials(options.tls),
    channelOptions(options),
  );
  const metadata = (): Metadata => {
    const md = new Metadata();
    if (token !== undefined) md.set('authorization', `Bearer ${token}`);
    return md;
  };
  const deadline = (ms: number): Date => new Date(Date.now() + ms);
  const connectMs = options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs;
  const ready = (): Promise<void> => channelReady(client.getChannel(), address, connectMs);
  const session = new TrialSession(address, () => client.session(metadata()));
  /** Settled once GetInfo said the trainer speaks a protocol with the Session RPC. */
  let checked: Promise<unknown> | null = null;
  const info = (infoOptions: { readonly failFast?: boolean } = {}): Promise<TrainerInfo> =>
    new Promise((resolve, reject) => {
      const callOptions = {
        deadline: deadline(options.infoDeadlineMs ?? CLIENT_DEFAULTS.infoDeadlineMs),
        waitForReady: infoOptions.failFast !== true,
      };
      client.getInfo({}, metadata(), callOptions, (err, response) => {
        if (err) return reject(callError(address, err));
        if (response === undefined)
          return reject(new Error(`trainer ${address} sent no GetInfo response`));
        const described = trainerInfoFromWire(response);
        const refusal = sessionProtocolRefusal(address, described.protocolVersion);
        if (refusal !== null) return reject(refusal);
        checked ??= Promise.resolve();
        return resolve(described);
      });
    });
  const protocolChecked = (): Promise<unknown> => {
    checked ??= info().catch((err: unknown) => {
      checked = null;
      throw err;
    });
    return checked;
  };
  return {
    address,
    info,
    trial: (request, trialOptions = {}) => {
      const wire = trainRequestToWire(request, trialOptions.trialId);
      const ms =
        trialOptions.deadlineMs ?? options.trialDeadlineMs ?? CLIENT_DEFAULTS.trialDeadlineMs;
      return defer(() => ready()).pipe(
        mergeMap(() => protocolChecked()),
        mergeMap(() => session.trial(wire, ms)),
      );
    },
    checkDataset: (spec, abort) =>
      new Promise((resolve, reject) => {
        const ms = options.checkDatasetDeadlineMs ?? CLIENT_DEFAULTS.checkDatasetDeadlineMs;
        const callOptions = { deadline: deadline(ms), waitForReady: true };
        const wire = checkDatasetRequestToWire(spec);
        const cancel = (): void => call.cancel();
        const call = client.checkDataset(wire, metadata(), callOptions, (err, response) => {
          abort?.removeEventListener('abort', cancel);
          if (err) return reject(callError(address, err));
          if (response === undefined)
            return reject(new Error(`trainer ${address} sent no CheckDataset response`));
          return resolve(checkedDatasetFromWire(response));
        });
        if (abort?.aborted === true) cancel();
        else abort?.addEventListener('abort', cancel, { once: true });
      }),
    close: () => {
      session.close();
      client.close();
    },
  };
}

/** The part of a gRPC channel that tells and watches its connectivity. */
type ChannelState = ReturnType<Client['getChannel']>;

/**
 * Resolves once `channel` is ready (at once when it is). Rejects, retryable, as soon as it fails to
 * connect, or when it is still connecting after `ms`: a frozen trainer accepts the TCP connection
 * but never completes the HTTP/2 handshake, and a call would wait for it forever.
 */
function channelReady(channel: ChannelState, address: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const fail = (why: string): void =>
      reject(new TrainerCallError(address, status.UNAVAILABLE, why));
    const check = (): void => {
      const state = channel.getConnectivityState(true);
      if (state === connectivityState.READY) return resolve();
      if (state === connectivityState.TRANSIENT_FAILURE || state === connectivityState.SHUTDOWN)
        return fail('cannot connect');
      channel.watchConnectivityState(state, until, (err) =>
        err === undefined ? check() : fail(`no connection within ${ms / 1000} s`),
      );
    };
    check();
  });
}

function channelCredentials(tls: ClientTls | undefined): ChannelCredentials {
  if (tls === undefined) return credentials.createInsecure();
  const pem = (value: Buffer | string | undefined): Buffer | null =>
    value === undefined ? null : Buffer.isBuffer(value) ? value : Buffer.from(value);
  return credentials.createSsl(pem(tls.ca), pem(tls.key), pem(tls.cert));
}
