/**
 * The controller's side of the trainer protocol: connect to trainers and run trials as Observables
 * over each trainer's Session stream. Failures say whether they are transient; the client retries
 * nothing itself (controller/search/trial-retry.ts decides re-dispatch).
 */
export * from './client-options.ts';
export * from './errors.ts';
export * from './session-protocol.ts';
export * from './trainer-client.ts';
