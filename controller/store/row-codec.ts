/**
 * Rows <-> records. Reading back is a boundary like any other: stored JSON is parsed (genotypes by
 * `parseGenotype` against the run's space (see {@link GenotypeReader}), the rest by zod schemas), never cast.
 */
import { z } from 'zod';
import type { Genotype } from '../../shared/genotype.ts';
import type { EpochMetrics, TrialResult } from '../../shared/trial.ts';
import { parseSearchSpace } from '../../shared/validate.ts';
import { violationsOf } from '../../shared/schema.ts';
import { storedStrategyConfig } from '../../shared/strategy-config.ts';
import { CorruptRunError } from './errors.ts';
import type { GenotypeReader } from './genotype-reader.ts';
import type {
  RunConfigRecord,
  StoredRunConfig,
  TrialRecord,
  TrialResultSummary,
  TrialState,
} from './records.ts';
import { TRIAL_STATES } from './schema.ts';

/** A row of the `trials` table. */
export interface TrialRow {
  id: number;
  candidate_id: number;
  genotype: string;
  hash: string;
  meta: string;
  status: string;
  attempts: number;
  trainer: string | null;
  reward: number | null;
  reason: string;
  result: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  finish_order: number | null;
}

/** A row of the `epochs` table, without its trial id. */
export interface EpochRow {
  epoch: number;
  train_loss: number | null;
  train_accuracy: number | null;
  validation_loss: number | null;
  validation_accuracy: number | null;
  learning_rate: number | null;
  seconds: number | null;
  images_per_second: number | null;
}

/** The `run` row. */
export interface RunRow {
  schema_version: number;
  config: string;
  created_at: number;
}

const configSchema = z.object({
  strategy: z.string().min(1),
  seed: z.number().int().nonnegative(),
  space: z.unknown(),
  settings: z.record(z.string(), z.unknown()),
});

const summarySchema = z.object({
  testAccuracy: z.number().nullable(),
  params: z.number(),
  bnStatistics: z.number(),
  multAdds: z.number(),
  latency: z
    .object({ batch1Ms: z.number(), batchMs: z.number(), batchSize: z.number() })
    .nullable(),
  backend: z.string(),
  device: z.string(),
  seconds: z.number(),
});

const stateSchema = z.enum(TRIAL_STATES);

/** JSON text of a value; NaN and infinities become null, as JSON has no other spelling for them. */
export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** The JSON stored for a trial's result: everything but its status, reason and epochs. */
export function encodeResult(result: TrialResult): string {
  const summary: TrialResultSummary = {
    testAccuracy: result.testAccuracy,
    params: result.params,
    bnStatistics: result.bnStatistics,
    multAdds: result.multAdds,
    latency: result.latency,
    backend: result.backend,
    device: result.device,
    seconds: result.seconds,
  };
  return toJson(summary);
}

/** A finite number, or null (SQLite would store NaN as NULL anyway; infinities are no reward). */
export function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/** The run's config from its row. */
export function decodeConfig(dir: string, row: RunRow): StoredRunConfig {
  const config = parse(dir, 'the run config', () => configSchema.parse(JSON.parse(row.config)));
  const space = parse(dir, 'the run config', () => parseSearchSpace(config.space));
  const strategy = config.settings['strategy'];
  const settings =
    strategy === undefined
      ? config.settings
      : { ...config.settings, strategy: storedStrategyConfig(strategy) };
  return Object.freeze({
    ...config,
    settings,
    space,
    schemaVersion: row.schema_version,
    createdAt: row.created_at,
  });
}

/** The JSON stored for a run config (validated by the same schema that reads it back). */
export function encodeConfig(config: RunConfigRecord): string {
  return toJson({
    strategy: config.strategy,
    seed: config.seed,
    space: config.space,
    settings: config.settings,
  });
}

/** Where a field of a stored trial is, in messages: `table trials, trial 3, field genotype`. */
export function trialField(id: number, field: keyof TrialRow): string {
  return `table trials, trial ${id}, field ${field}`;
}

/** A trial record from its row; the genotype is parsed against the run's space. */
export function decodeTrial(dir: string, genotypes: GenotypeReader, row: TrialRow): TrialRecord {
  const at = (field: keyof TrialRow): string => trialField(row.id, field);
  const genotype: Genotype = parse(dir, at('genotype'), () => genotypes.read(row.genotype));
  return Object.freeze({
    id: row.id,
    candidateId: row.candidate_id,
    genotype,
    hash: row.hash,
    meta: parse(dir, at('meta'), (): unknown => JSON.parse(row.meta)),
    status: parse(dir, at('status'), () => decodeState(row)),
    attempts: row.attempts,
    trainer: row.trainer,
    reward: row.reward,
    reason: row.reason,
    result: row.result === null ? null : decodeSummary(dir, at('result'), row.result),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    finishOrder: row.finish_order,
  });
}

/** A row's status, which must agree with its finish order (set exactly when the status is final). */
export function decodeState(row: Pick<TrialRow, 'status' | 'finish_order'>): TrialState {
  const state = stateSchema.parse(row.status);
  const final = state !== 'queued' && state !== 'running';
  if (final !== (row.finish_order !== null))
    throw new RangeError(
      `status "${state}" with finish_order ${String(row.finish_order)}; a final status has a finish order, an unfinished one none`,
    );
  return state;
}

function decodeSummary(dir: string, where: string, json: string): TrialResultSummary {
  return parse(dir, where, () => parseSummaryJson(json));
}

/** A trial's stored result summary (the `result` column); throws a zod or JSON error. */
export function parseSummaryJson(json: string): TrialResultSummary {
  return Object.freeze(summarySchema.parse(JSON.parse(json)));
}

/** A snapshot row's JSON; its shape is checked by the snapshot parser of the strategies. */
export function decodeSnapshotJson(dir: string, json: string): unknown {
  return parse(dir, 'the latest strategy snapshot', (): unknown => JSON.parse(json));
}

/** The bind parameters of one epoch's row. */
export function encodeEpoch(trialId: number, m: EpochMetrics): EpochRow & { trial_id: number } {
  return {
    trial_id: trialId,
    epoch: m.epoch,
    train_loss: m.trainLoss,
    train_accuracy: m.trainAccuracy,
    validation_loss: m.validationLoss,
    validation_accuracy: m.validationAccuracy,
    learning_rate: m.learningRate,
    seconds: m.seconds,
    images_per_second: m.imagesPerSecond,
  };
}

/** An epoch's metrics from its row; NULL (a stored NaN) reads back as NaN. */
export function decodeEpoch(row: EpochRow): EpochMetrics {
  const num = (v: number | null): number => v ?? NaN;
  return Object.freeze({
    epoch: row.epoch,
    trainLoss: num(row.train_loss),
    trainAccuracy: num(row.train_accuracy),
    validationLoss: num(row.validation_loss),
    validationAccuracy: num(row.validation_accuracy),
    learningRate: num(row.learning_rate),
    seconds: num(row.seconds),
    imagesPerSecond: num(row.images_per_second),
  });
}

/** Runs `read`; whatever it throws becomes a {@link CorruptRunError} at `where`. */
export function parse<T>(dir: string, where: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new CorruptRunError(dir, where, whyOf(err));
  }
}

/** An error as one line: zod and genotype violations listed with their paths. */
export function whyOf(err: unknown): string {
  const why =
    err instanceof z.ZodError
      ? violationsOf(err)
          .map((v) => `${v.path === '' ? '(root)' : v.path}: ${v.message}`)
          .join('; ')
      : err instanceof Error
        ? err.message
        : String(err);
  return why.replace(/:?\s*\n\s*(- )?/g, '; ');
}
