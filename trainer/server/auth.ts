/**
 * The shared bearer token: a server interceptor that checks `authorization: Bearer <token>` on every
 * call (the trainer service, health and reflection alike) and ends any other with UNAUTHENTICATED
 * before its handler runs.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  ResponderBuilder,
  ServerInterceptingCall,
  ServerListenerBuilder,
  status,
  type Metadata,
  type ServerInterceptor,
} from '@grpc/grpc-js';

/** The metadata key that carries the token (lower case, as HTTP/2 sends it). */
export const AUTHORIZATION_KEY = 'authorization';

/** The value callers send: `Bearer <token>`. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/**
 * An interceptor that admits only calls with the token; `onRefused` hears of each refused call, with
 * the caller's peer address (rate-limit what it logs: anyone can send a wrong token).
 */
export function tokenInterceptor(
  token: string,
  onRefused: (method: string, peer: string) => void,
): ServerInterceptor {
  const expected = digest(bearer(token));
  return (method, call) => {
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        if (hasToken(metadata, expected)) {
          next(metadata);
          return;
        }
        onRefused(method.path, call.getPeer());
        call.sendStatus({
          code: status.UNAUTHENTICATED,
          details: `missing or wrong bearer token: send metadata "${AUTHORIZATION_KEY}: Bearer <token>"`,
        });
      })
      .build();
    return new ServerInterceptingCall(
      call,
      new ResponderBuilder().withStart((next) => next(listener)).build(),
    );
  };
}

function hasToken(metadata: Metadata, expected: Buffer): boolean {
  const values = metadata.get(AUTHORIZATION_KEY);
  // Compare digests, so the comparison takes the same time whatever the length of the guess.
  return (
    values.length === 1 &&
    typeof values[0] === 'string' &&
    timingSafeEqual(digest(values[0]), expected)
  );
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
