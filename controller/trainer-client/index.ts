/** The controller's side of the trainer protocol: connect to trainers, run trials as Observables, retry transient failures. */
export * from './client-options.ts';
export * from './errors.ts';
export * from './trainer-client.ts';
export * from './trial-stream.ts';
