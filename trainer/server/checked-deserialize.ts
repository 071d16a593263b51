/**
 * Malformed request messages end their call with INVALID_ARGUMENT. grpc-js answers a request whose
 * deserializer throws with INTERNAL ("Error deserializing request") and offers no way to choose the
 * code, so {@link checkedService} makes a failed decode return a {@link MalformedRequest} marker
 * instead, and {@link malformedRequestInterceptor} ends the call on that marker before any handler
 * sees it: handlers only ever receive messages that decoded.
 */
import {
  ResponderBuilder,
  ServerInterceptingCall,
  ServerListenerBuilder,
  status,
  type ServerInterceptor,
  type ServiceDefinition,
} from '@grpc/grpc-js';

/** What a request that did not decode becomes: the details of the status it ends its call with. */
export class MalformedRequest {
  constructor(readonly details: string) {}
}

/** `service` with every request deserializer returning a {@link MalformedRequest} where it threw. */
export function checkedService(service: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(service).map(([name, method]) => {
      const what = requestTypeName(method.path, method);
      const requestDeserialize = (bytes: Buffer): unknown => {
        try {
          return method.requestDeserialize(bytes);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          return new MalformedRequest(`malformed ${what}: ${why}`);
        }
      };
      return [name, { ...method, requestDeserialize }];
    }),
  );
}

/**
 * Ends a call with INVALID_ARGUMENT when a request message did not decode (a {@link MalformedRequest}
 * from {@link checkedService}); nothing of that call reaches its handler afterwards.
 */
export function malformedRequestInterceptor(): ServerInterceptor {
  return (_method, call) => {
    let refused = false;
    const listener = new ServerListenerBuilder()
      .withOnReceiveMessage((message: unknown, next) => {
        if (refused) return;
        if (!(message instanceof MalformedRequest)) {
          next(message);
          return;
        }
        refused = true;
        call.sendStatus({ code: status.INVALID_ARGUMENT, details: message.details });
      })
      .withOnReceiveHalfClose((next) => {
        if (!refused) next();
      })
      .build();
    return new ServerInterceptingCall(
      call,
      new ResponderBuilder().withStart((next) => next(listener)).build(),
    );
  };
}

/**
 * The full name of a method's request message (`nas.v1.TrainRequest`), read from the descriptor
 * @grpc/proto-loader attaches; a message of the service's own package, as every nas.v1 request is.
 * Falls back to "request of <path>" for a definition without one.
 */
function requestTypeName(path: string, method: object): string {
  const type = 'requestType' in method ? method.requestType : undefined;
  const descriptor = typeof type === 'object' && type !== null && 'type' in type ? type.type : null;
  const name =
    typeof descriptor === 'object' && descriptor !== null && 'name' in descriptor
      ? descriptor.name
      : undefined;
  const service = path.split('/')[1] ?? '';
  const pkg = service.slice(0, service.lastIndexOf('.'));
  if (typeof name !== 'string' || pkg === '') return `request of ${path}`;
  return `${pkg}.${name}`;
}
