/**
 * Direct calls to one trainer, outside any search: GetInfo with its latency, the standard health
 * check (grpc.health.v1), and one trial over a Session of a fresh client (as nas-ctl runs trials).
 */
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { lastValueFrom, toArray } from 'rxjs';
import type { TrialRequest, TrialResult } from '../../shared/trial.ts';
import { createTrainerClient, TrainerCallError } from '../../controller/trainer-client/index.ts';
import type { TrainerInfo } from '../../proto/trainer-info.ts';

/** A GetInfo answer and how long it took (ms), or the error it ended with. */
export type InfoProbe =
  | { readonly ok: true; readonly ms: number; readonly info: TrainerInfo }
  | { readonly ok: false; readonly ms: number; readonly error: string };

/** Calls GetInfo once with `deadlineMs`, on a fresh connection. */
export async function probeInfo(address: string, deadlineMs = 5_000): Promise<InfoProbe> {
  const client = createTrainerClient({ address, infoDeadlineMs: deadlineMs });
  const started = performance.now();
  try {
    const info = await client.info();
    return { ok: true, ms: performance.now() - started, info };
  } catch (err) {
    return { ok: false, ms: performance.now() - started, error: messageOf(err) };
  } finally {
    client.close();
  }
}

/** The health service's status for the whole server (`SERVING`, `NOT_SERVING`, ...) or the error. */
export async function probeHealth(address: string, deadlineMs = 5_000): Promise<string> {
  const check = healthService.Check;
  if (check === undefined) return 'error: grpc-health-check has no Check method';
  const client = new Client(address, credentials.createInsecure());
  try {
    return await new Promise<string>((resolve) => {
      client.makeUnaryRequest(
        check.path,
        check.requestSerialize,
        check.responseDeserialize,
        { service: '' },
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, response) => resolve(err ? `error: ${err.message}` : healthStatus(response)),
      );
    });
  } finally {
    client.close();
  }
}

function healthStatus(response: unknown): string {
  if (typeof response === 'object' && response !== null && 'status' in response)
    return String(response.status);
  return 'error: no status in the health response';
}

/** How a direct trial ended: its result, or the call's error (with its gRPC status name). */
export type TrialProbe =
  | { readonly ok: true; readonly ms: number; readonly result: TrialResult }
  | {
      readonly ok: false;
      readonly ms: number;
      readonly error: string;
      readonly retryable: boolean;
    };

/** Runs `request` on the trainer over the Session of a fresh client, with `deadlineMs`. */
export async function probeTrial(
  address: string,
  request: TrialRequest,
  deadlineMs: number,
): Promise<TrialProbe> {
  const client = createTrainerClient({ address });
  const started = performance.now();
  try {
    const events = await lastValueFrom(client.trial(request, { deadlineMs }).pipe(toArray()));
    const last = events.at(-1);
    const ms = performance.now() - started;
    if (last?.type === 'result') return { ok: true, ms, result: last.result };
    return { ok: false, ms, error: 'the stream ended without a result', retryable: false };
  } catch (err) {
    const retryable = err instanceof TrainerCallError && err.retryable;
    return { ok: false, ms: performance.now() - started, error: messageOf(err), retryable };
  } finally {
    client.close();
  }
}

/** An error's message, on one line. */
export function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
}

/**
 * Polls GetInfo until the trainer runs no trial; resolves with the last count of running trials
 * (0 when it became idle within `withinMs`) or the error GetInfo ended with.
 */
export async function waitIdle(address: string, withinMs: number): Promise<string | null> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const probe = await probeInfo(address, 2_000);
    if (probe.ok && probe.info.running === 0) return null;
    if (Date.now() > deadline)
      return probe.ok ? `${address} still runs ${probe.info.running}` : probe.error;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
