/**
 * Why a trainer does not answer, in plain words with what to check: gRPC's own text ("No connection
 * established. Last error: ... Resolution note: ") is for gRPC's developers, not for the person
 * whose search waits on the trainer.
 */
import { status } from '@grpc/grpc-js';
import { TrainerCallError, TrainerProtocolError } from '../trainer-client/index.ts';

/** One failure cause: how to recognise it in the transport's text, and what to tell. */
interface Cause {
  readonly pattern: RegExp;
  readonly words: string;
}

const CAUSES: readonly Cause[] = [
  {
    pattern: /ECONNREFUSED/,
    words: 'connection refused: is nas-trainer serve running there, on that port?',
  },
  {
    pattern: /EHOSTUNREACH|ENETUNREACH|EHOSTDOWN/,
    words: 'host unreachable: is the host up, and is there a route to it?',
  },
  {
    pattern: /ETIMEDOUT|Deadline exceeded|no connection within/i,
    words: 'no answer in time: is the host up, or does a firewall drop the port?',
  },
  { pattern: /ECONNRESET|EPIPE/, words: 'the connection was reset: is the port a gRPC server?' },
  {
    pattern: /ENOTFOUND|EAI_AGAIN|DNS resolution failed/,
    words: 'the host name does not resolve: check the name and DNS',
  },
  {
    pattern: /altnames|does not match certificate|ERR_TLS_CERT_ALTNAME/i,
    words: "the trainer's TLS certificate is not for this name: give --tls-server-name",
  },
  {
    pattern: /certificate|SSL|TLS|handshake/i,
    words: "TLS failed: check --tls-ca against the trainer's certificate (and that both use TLS)",
  },
];

/** One plain line for why `err` kept a trainer from answering. */
export function describeTrainerFailure(err: unknown): string {
  if (err instanceof TrainerProtocolError) return err.advice;
  if (!(err instanceof TrainerCallError)) return err instanceof Error ? err.message : String(err);
  if (err.grpcCode === status.UNAUTHENTICATED || err.grpcCode === status.PERMISSION_DENIED)
    return 'the trainer refused the token: check --token-file or $NAS_TRAINER_TOKEN';
  if (err.grpcCode === status.UNIMPLEMENTED)
    return 'not a nas-trainer (or too old to answer GetInfo)';
  const cause = CAUSES.find((c) => c.pattern.test(err.details));
  if (cause !== undefined) return cause.words;
  if (err.grpcCode === status.DEADLINE_EXCEEDED) return CAUSES[2]?.words ?? 'no answer in time';
  // Whatever else, without gRPC's boilerplate.
  const details = withoutBoilerplate(err.details);
  return `${status[err.grpcCode] ?? err.grpcCode}${details === '' ? '' : `: ${details}`}`;
}

/**
 * A failed trainer call as a trial's reason (`trainer 10.0.0.7:50051: connection refused: ...`): a
 * connection that was never made in the words of {@link describeTrainerFailure}, anything else as
 * the trainer or transport said it, without gRPC's boilerplate.
 */
export function trialFailureReason(err: unknown): string {
  if (!(err instanceof TrainerCallError)) return err instanceof Error ? err.message : String(err);
  if (/No connection established/i.test(err.details))
    return `trainer ${err.trainer}: ${describeTrainerFailure(err)}`;
  const details = withoutBoilerplate(err.details);
  return `trainer ${err.trainer}: ${status[err.grpcCode] ?? err.grpcCode}${details === '' ? '' : `: ${details}`}`;
}

function withoutBoilerplate(details: string): string {
  return details
    .replace(/No connection established\.\s*/i, '')
    .replace(/Last error:\s*(Error:\s*)?/i, '')
    .replace(/\s*Resolution note:\s*$/i, '')
    .trim();
}
