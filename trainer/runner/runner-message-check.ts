/**
 * The check of every message where it arrives across the trial process boundary: the server parses
 * what a trial process sends before it believes it (a process whose backend corrupted its heap, or
 * one of another build, may send anything), and a trial process checks the envelope of what its
 * server sends. Shapes only: what the numbers mean (accuracies in [0, 1], ...) is the controller's
 * check of every result (controller/search/result-check.ts), where the trainer's answer arrives.
 */
import { z } from 'zod';
import { CellsearchError } from '../../shared/errors.ts';
import { parseTrialRequest } from '../../shared/trial-request.ts';
import type { EpochMetrics, TrialResult } from '../../shared/trial.ts';
import type { BackendInfo } from '../tf.ts';
import type { FromRunner, RefusedStatus, RemoteFailure, ToRunner } from './runner-protocol.ts';

/** A message across the trial process boundary that is not one of the protocol's. */
export class RunnerMessageError extends CellsearchError {
  constructor(from: string, problem: string) {
    super('RUNNER_PROTOCOL', `${from} sent a malformed message: ${problem}`);
  }
}

/** Any number, NaN and infinities included (a diverged loss): their meaning is checked later. */
const NUMBER = z.custom<number>((value) => typeof value === 'number', 'expected a number');
/** Step counts, which go on the wire as uint32. */
const COUNT = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 32 - 1);

const EPOCH = z.object({
  epoch: NUMBER,
  trainLoss: NUMBER,
  trainAccuracy: NUMBER,
  validationLoss: NUMBER,
  validationAccuracy: NUMBER,
  learningRate: NUMBER,
  seconds: NUMBER,
  imagesPerSecond: NUMBER,
}) satisfies z.ZodType<EpochMetrics>;

const RESULT = z.object({
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  reason: z.string(),
  epochs: z.array(EPOCH),
  testAccuracy: NUMBER.nullable(),
  params: NUMBER,
  bnStatistics: NUMBER,
  multAdds: NUMBER,
  latency: z.object({ batch1Ms: NUMBER, batchMs: NUMBER, batchSize: NUMBER }).nullable(),
  backend: z.string(),
  device: z.string(),
  seconds: NUMBER,
}) satisfies z.ZodType<TrialResult>;

const BACKEND_CHOICE = z.enum(['auto', 'node-gpu', 'node', 'wasm', 'cpu']);

const BACKEND = z.object({
  choice: BACKEND_CHOICE,
  loaded: BACKEND_CHOICE.exclude(['auto']),
  backend: z.string(),
  device: z.string(),
  skipped: z.array(z.string()),
}) satisfies z.ZodType<BackendInfo>;

const FAILURE = z.object({
  name: z.string(),
  code: z.string(),
  message: z.string(),
}) satisfies z.ZodType<RemoteFailure>;

const STATUS = z.object({
  code: z.number().int().min(0).max(16),
  details: z.string(),
}) satisfies z.ZodType<RefusedStatus>;

const FROM_RUNNER = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), backend: BACKEND }),
  z.object({ type: z.literal('start-failed'), failure: FAILURE }),
  z.object({ type: z.literal('planned'), params: NUMBER, multAdds: NUMBER }),
  z.object({ type: z.literal('step'), step: COUNT, totalSteps: COUNT }),
  z.object({ type: z.literal('epoch'), metrics: EPOCH }),
  z.object({ type: z.literal('result'), result: RESULT, healthy: z.boolean() }),
  z.object({ type: z.literal('refused'), status: STATUS, healthy: z.boolean() }),
]) satisfies z.ZodType<FromRunner>;

/** What a trial process sent, checked; throws {@link RunnerMessageError} for anything else. */
export function parseFromRunner(value: unknown): FromRunner {
  const parsed = FROM_RUNNER.safeParse(value);
  if (!parsed.success) throw new RunnerMessageError('the trial process', describe(parsed.error));
  return parsed.data;
}

const LIMITS = z.object({
  root: z.string().optional(),
  memory: z.object({ bytes: NUMBER, name: z.string() }).optional(),
});

const TO_RUNNER = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('configure'),
    config: z.object({
      backend: BACKEND_CHOICE,
      threads: z.number().int().positive().optional(),
      logLevel: z.string(),
    }),
  }),
  z.object({ type: z.literal('run'), request: z.unknown(), datasetLimits: LIMITS.optional() }),
  z.object({ type: z.literal('cancel'), reason: z.string() }),
]);

/**
 * What the server sent, checked; throws {@link RunnerMessageError} for anything else, and
 * InvalidValueError for a request the trial request schema refuses (the same schema the wire's
 * request was parsed with).
 */
export function parseToRunner(value: unknown): ToRunner {
  const parsed = TO_RUNNER.safeParse(value);
  if (!parsed.success) throw new RunnerMessageError('the trainer server', describe(parsed.error));
  const message = parsed.data;
  switch (message.type) {
    case 'configure': {
      const { backend, threads, logLevel } = message.config;
      return {
        type: 'configure',
        config: { backend, logLevel, ...(threads === undefined ? {} : { threads }) },
      };
    }
    case 'run': {
      const request = parseTrialRequest(message.request);
      const limits = message.datasetLimits;
      if (limits === undefined) return { type: 'run', request };
      const { root, memory } = limits;
      const datasetLimits = {
        ...(root === undefined ? {} : { root }),
        ...(memory === undefined ? {} : { memory }),
      };
      return { type: 'run', request, datasetLimits };
    }
    case 'cancel':
      return message;
  }
}

/** The first problems of a failed parse, with their paths. */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`)
    .join('; ');
}
