/**
 * `nas-trainer train`: runs one trial request (JSON from a file or stdin) on this process's backend,
 * prints its events as JSON lines on stdout, and saves the trained model and its metrics.
 */
import { writeOutputFile } from '../../runtime/output-file.ts';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { formatDatasetSpec } from '../../shared/dataset-spec.ts';
import { parseJsonText, readInputFile } from '../../runtime/input-file.ts';
import { parseTrialRequest } from '../../shared/trial-request.ts';
import type { TrialEvent } from '../../shared/trial-events.ts';
import { saveNetwork } from '../network/serialize.ts';
import { setupBackend } from '../backend.ts';
import type { BackendChoice } from '../tf.ts';
import { resolveDatasetUnderRoot } from '../data/data-root.ts';
import { runTrial } from '../train/run-trial.ts';
import { readDatasetFirst } from './readable-dataset.ts';

/** Seconds between two step events, so a fast trial does not flood the pipe. */
const STEP_EVENT_INTERVAL_MS = 200;

interface TrainOptions {
  readonly request: string;
  readonly out?: string;
  readonly backend: BackendChoice;
}

/** Adds `train` to the nas-trainer program. */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train one network from a trial request; events as JSON lines on stdout')
    .requiredOption('--request <file>', 'trial request JSON file, or - for stdin')
    .option(
      '--out <dir>',
      'save the trained model (a TensorFlow.js LayersModel: model.json + weights.bin) and metrics.json here',
    )
    .addOption(
      new Option('--backend <name>', 'tfjs backend')
        .choices(['auto', 'node-gpu', 'node', 'wasm', 'cpu'])
        .default('auto'),
    )
    .action(async (options: TrainOptions) => {
      const parsed = parseTrialRequest(await readRequest(options.request));
      const dataset = await resolveDatasetUnderRoot(parsed.dataset, undefined);
      const request = { ...parsed, dataset };
      // The request as it was run, in its JSON form: the dataset as its canonical string.
      const written = { ...request, dataset: formatDatasetSpec(dataset) };
      await readDatasetFirst(dataset);
      const backend = await setupBackend(options.backend);
      const emit = (event: TrialEvent): void =>
        void process.stdout.write(JSON.stringify(event) + '\n');
      let lastStep = 0;
      const result = await runTrial(request, {
        backend,
        onPlanned: (size) =>
          emit({ type: 'started', backend: backend.backend, device: backend.device, ...size }),
        onStep: (step, totalSteps, epochSoFar) => {
          if (step < totalSteps && performance.now() - lastStep < STEP_EVENT_INTERVAL_MS) return;
          lastStep = performance.now();
          emit({ type: 'step', step, totalSteps, ...epochSoFar });
        },
        onEpoch: (metrics) => emit({ type: 'epoch', metrics }),
        onTrained: async (network, data) => {
          if (options.out === undefined) return;
          await saveNetwork(network, options.out, {
            genotype: request.genotype,
            normalization: data.stats,
            ...(data.classNames === undefined ? {} : { classNames: data.classNames }),
            extra: { training: request.training, dataset: written.dataset },
          });
          emit({ type: 'saved', dir: options.out });
        },
      });
      if (options.out !== undefined) {
        await mkdir(options.out, { recursive: true });
        await writeOutputFile(
          join(options.out, 'metrics.json'),
          JSON.stringify({ request: written, result }, null, 2) + '\n',
        );
      }
      emit({ type: 'result', result });
      if (result.status !== 'succeeded') process.exitCode = 1;
    });
}

async function readRequest(source: string): Promise<unknown> {
  // Only a regular file is read: a FIFO or a device would block or stream.
  const text = source === '-' ? await readStdin() : readInputFile(source, 'trial request');
  return parseJsonText(text, source === '-' ? 'trial request on stdin' : `trial request ${source}`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
