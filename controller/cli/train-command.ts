/**
 * `nas-ctl train`: trains one network outside a search (final training of a found cell, transfer to
 * a bigger N@F or another dataset). The controller never loads TensorFlow.js: it builds the trial
 * request, runs it in a `nas-trainer train` process and shows the events it streams back.
 */
import { Option, type Command } from 'commander';
import { DATASET_SPEC_FORMS, parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { loadGenotype } from '../../runtime/genotype-source.ts';
import { parseNetworkSize } from '../../shared/network-settings.ts';
import { DEFAULT_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import type { TrialNetwork, TrialRequest, TrialResult } from '../../shared/trial.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import { parseTrialRequest } from '../../shared/trial-request.ts';
import { TrialTooLargeError } from '../../shared/memory-fit.ts';
import { defaultMemoryLimit, LOCAL_LIMIT } from '../../runtime/memory-limit.ts';
import { refusalByEveryTrainer } from '../search/memory-admission.ts';
import { positiveInt, searchSpaceOption, timestampedRunDir } from './options.ts';
import { addTrainingFlags, trainingFromFlags } from './training-flags.ts';
import { runLocalTrainer } from './local-trainer.ts';
import { checkTrainingFitsDataset, fitValidationDefault } from './dataset-fit.ts';
import { prepareOutputDir } from './output-dir.ts';
import { progressOption, resolveProgressMode, writeJsonEvent } from './progress-mode.ts';
import { resolveSkeletonFor, skeletonOption, type SkeletonChoice } from './skeleton-option.ts';
import { trainSummaryEvent, type TrainOutcome } from './train-summary.ts';

interface TrainFlags extends Record<string, unknown> {
  readonly genotype: string;
  readonly dataset: string;
  readonly cells: number;
  readonly filters: number;
  readonly size?: string;
  readonly skeleton: SkeletonChoice;
  readonly auxHead: boolean;
  readonly stemMultiplier?: number;
  readonly space: SearchSpace;
  readonly backend: string;
  readonly out: string;
  readonly json: boolean;
}

/** Adds `train` to nas-ctl. */
export function registerTrainCommand(program: Command): void {
  const command = program
    .command('train')
    .description('train one network from a genotype (outside a search) and save it')
    .requiredOption('--genotype <name|file>', 'a known genotype (nasnet-a) or a genotype JSON file')
    .option(
      '--dataset <spec>',
      `dataset to train on: ${DATASET_SPEC_FORMS.join(', ')}`,
      'fashion-mnist-small',
    )
    .option('--cells <N>', 'normal cells per stack (N of N@F)', positiveInt, 2)
    .option('--filters <F>', 'penultimate filters (F of N@F; a multiple of 24)', positiveInt, 384)
    .option('--size <N@F>', 'both at once, e.g. 6@768 (overrides --cells and --filters)')
    .addOption(skeletonOption())
    .option('--aux-head', 'build and train the auxiliary head', false)
    .option(
      '--stem-multiplier <m>',
      'stem filter multiplier (default: 3 cifar, 1 imagenet)',
      positiveInt,
    )
    .addOption(
      new Option('--space <name>', 'search space the genotype must belong to')
        .argParser(searchSpaceOption)
        .default(DEFAULT_SPACE, 'default'),
    )
    .addOption(
      new Option('--backend <name>', 'tfjs backend of the trainer')
        .choices(['auto', 'node-gpu', 'node', 'wasm', 'cpu'])
        .default('auto'),
    )
    .option(
      '--out <dir>',
      'where to save the model (a TensorFlow.js LayersModel: model.json + weights.bin) and metrics.json',
      timestampedRunDir('train'),
    )
    .option(
      '--json',
      'print the trainer events as JSON lines instead of the progress view, ending with a summary event',
      false,
    )
    .addOption(progressOption());
  addTrainingFlags(command, DEFAULT_TRAINING).action(async (flags: TrainFlags) => {
    const request = await fittedRequest(flags);
    checkTrainingFitsDataset(request.training, request.dataset, 'train');
    const limit = defaultMemoryLimit(flags.backend, 1);
    const refusal = refusalByEveryTrainer(request, [limit], LOCAL_LIMIT);
    if (refusal !== null) throw new TrialTooLargeError(refusal);
    prepareOutputDir(flags.out, '--out');
    const result = await trainWithSummary(flags, request.network, () =>
      runLocalTrainer(request, {
        backend: flags.backend,
        out: flags.out,
        json: flags.json,
        progress: resolveProgressMode(flags.progress, process.stderr.isTTY === true),
      }),
    );
    if (result.status !== 'succeeded') process.exitCode = 1;
  });
}

/**
 * Runs `train`; with `--json`, ends stdout with the summary event however it ended (a failure or a
 * stop by a signal is then thrown on, for the error boundary).
 */
async function trainWithSummary(
  flags: TrainFlags,
  network: TrialNetwork,
  train: () => Promise<TrialResult>,
): Promise<TrialResult> {
  if (!flags.json) return train();
  const startedAt = Date.now();
  let signal: NodeJS.Signals | null = null;
  const stop = (s: NodeJS.Signals): void => {
    signal ??= s;
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const summary = (outcome: TrainOutcome): void =>
    writeJsonEvent(
      trainSummaryEvent(outcome, {
        outDir: flags.out,
        network,
        durationMs: Date.now() - startedAt,
      }),
    );
  try {
    const result = await train();
    summary({ result, signal });
    return result;
  } catch (err) {
    summary({ error: err instanceof Error ? err.message : String(err), signal });
    throw err;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

/** The request the flags ask for, its default validation split fitted to the dataset (said on stderr). */
async function fittedRequest(flags: TrainFlags): Promise<TrialRequest> {
  const request = await requestFromFlags(flags);
  const given = flags.validationSize !== undefined;
  const { training, note } = fitValidationDefault(
    request.training,
    request.dataset,
    'train',
    given,
  );
  if (note !== null) process.stderr.write(`nas-ctl: ${note}\n`);
  return { ...request, training };
}

async function requestFromFlags(flags: TrainFlags): Promise<TrialRequest> {
  const { genotype } = await loadGenotype(flags.genotype, flags.space);
  const size =
    flags.size === undefined
      ? { cells: flags.cells, filters: flags.filters }
      : parseNetworkSize(flags.size);
  const skeleton = resolveSkeletonFor(flags.skeleton, parseDatasetSpec(flags.dataset));
  return parseTrialRequest(
    {
      genotype,
      network: {
        ...size,
        skeleton,
        auxHead: flags.auxHead,
        ...(flags.stemMultiplier === undefined ? {} : { stemMultiplier: flags.stemMultiplier }),
      },
      training: trainingFromFlags(flags),
      dataset: flags.dataset,
    },
    flags.space,
  );
}
