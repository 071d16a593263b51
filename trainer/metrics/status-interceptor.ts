/**
 * A gRPC server interceptor that counts error statuses for the trainer's metrics: every call that
 * ends with one (a refused Train call, an unauthenticated or malformed call, ...), and every trial of
 * a Session stream that ends with a TrialError, which carries the status a Train call would have
 * ended with. Installed innermost, it also sees the statuses the other interceptors send.
 */
import {
  ResponderBuilder,
  ServerInterceptingCall,
  status,
  type ServerInterceptor,
} from '@grpc/grpc-js';
import type { TrainerMetrics } from './trainer-metrics.ts';

/** The interceptor counting into `metrics`. */
export function statusInterceptor(metrics: Pick<TrainerMetrics, 'callFailed'>): ServerInterceptor {
  return (descriptor, call) => {
    // The method's own name (Train, Session, GetInfo, Check, ...): the services define few.
    const method = descriptor.path.slice(descriptor.path.lastIndexOf('/') + 1);
    const session = descriptor.path.endsWith('.TrainerService/Session');
    const responder = new ResponderBuilder()
      .withSendStatus((sent, next) => {
        if (sent.code !== status.OK) metrics.callFailed(method, codeName(sent.code));
        next(sent);
      })
      .withSendMessage((message: unknown, next) => {
        const code = session ? trialErrorCode(message) : undefined;
        if (code !== undefined) metrics.callFailed(method, codeName(code));
        next(message);
      })
      .build();
    return new ServerInterceptingCall(call, responder);
  };
}

/** The status code of a SessionResponse's TrialError, if the message carries one. */
function trialErrorCode(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null || !('error' in message)) return undefined;
  const error: unknown = message.error;
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'number' ? error.code : undefined;
}

/** `UNAVAILABLE` for 14: the name Prometheus labels read best with. */
function codeName(code: number): string {
  const name: unknown = status[code];
  return typeof name === 'string' ? name : String(code);
}
