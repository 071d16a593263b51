/**
 * `nas-ctl search`: RL, regularized evolution or random search over a pool of trainers, persisted
 * to a run directory and resumable. With no flags it runs the embedded default: a small real search
 * on the built-in synthetic dataset with local trainers, and prints the best cell.
 */
import { fromEvent, merge, timer, NEVER } from 'rxjs';
import { lastValueFrom } from 'rxjs';
import { tap } from 'rxjs/operators';
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { renderGenotypeTable } from '../../shared/render.ts';
import { DEFAULT_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import { DEFAULT_TRAINING, parseTrainingSettings } from '../../shared/training-settings.ts';
import { parseNetworkSize } from '../../shared/network-settings.ts';
import {
  defaultStrategyConfig,
  STRATEGY_NAMES,
  type StrategyName,
} from '../strategies/strategy.ts';
import { runSearch } from '../search/run-search.ts';
import { openSearch, type SearchSettings } from '../search/search-session.ts';
import { positiveInt, searchSpaceOption, timestampedRunDir } from './options.ts';
import { addTrainingFlags, trainingFromFlags } from './training-flags.ts';
import { createSearchView } from './search-view.ts';
import { parseDuration } from './duration.ts';

/** Training of each candidate unless flags say otherwise: short, as child networks in a search are. */
export const SEARCH_TRAINING = Object.freeze({
  ...DEFAULT_TRAINING,
  epochs: 2,
  batchSize: 32,
  validationSize: 256,
  learningRate: 0.05,
});

interface SearchFlags extends Record<string, unknown> {
  readonly strategy: StrategyName;
  readonly trials: number;
  readonly time?: string;
  readonly trainers?: string;
  readonly trainersFile?: string;
  readonly token?: string;
  readonly runDir?: string;
  readonly resume?: string;
  readonly dataset: string;
  readonly size: string;
  readonly skeleton: 'cifar' | 'imagenet';
  readonly space: SearchSpace;
  readonly backend: string;
  readonly localTrainers?: number;
  readonly rewardEpochs: number;
  readonly retrainDuplicates: boolean;
  readonly json: boolean;
}

/** Adds `search` to nas-ctl. */
export function registerSearchCommand(program: Command): void {
  const command = program
    .command('search')
    .description('search for cells with rl, evolution or random search over a pool of trainers')
    .addOption(
      new Option('--strategy <name>', 'search strategy').choices([...STRATEGY_NAMES]).default('rl'),
    )
    .option('--trials <N>', 'stop after this many trials', positiveInt, 40)
    .option(
      '--time <duration>',
      'stop after this long (e.g. 30m, 2h); in-flight trials are re-run on --resume',
    )
    .option(
      '--trainers <list>',
      'host:port,... of running nas-trainer servers (a name resolving to several addresses counts each)',
    )
    .option('--trainers-file <file>', 'a file with one host:port per line')
    .option('--token <token>', 'bearer token of the trainers (default: $NAS_TRAINER_TOKEN)')
    .option('--run-dir <dir>', 'run directory to create (default: runs/search-<time>)')
    .option('--resume <dir>', 'continue the run in this directory (its stored settings are used)')
    .option(
      '--dataset <spec>',
      'dataset the trainers train on',
      'synthetic:classes=4,size=16,train=1024,test=256',
    )
    .option('--size <N@F>', 'child network size', '1@48')
    .addOption(
      new Option('--skeleton <kind>', 'network skeleton')
        .choices(['cifar', 'imagenet'])
        .default('cifar'),
    )
    .addOption(
      new Option('--space <name>', 'search space (default, nasnet)')
        .argParser(searchSpaceOption)
        .default(DEFAULT_SPACE, 'default'),
    )
    .addOption(
      new Option('--backend <name>', 'backend of local trainers')
        .choices(['auto', 'node-gpu', 'node', 'wasm', 'cpu'])
        .default('auto'),
    )
    .option(
      '--local-trainers <n>',
      'local trainers to start (default: one per GPU, else per core)',
      positiveInt,
    )
    .option(
      '--reward-epochs <k>',
      'reward = best validation accuracy of the last k epochs',
      positiveInt,
      5,
    )
    .option(
      '--retrain-duplicates',
      'train a genotype again even if its canonical hash was trained',
      false,
    )
    .option('--json', 'print search events as JSON lines', false);
  addTrainingFlags(command).action(async (flags: SearchFlags) => {
    await search(flags);
  });
}

async function search(flags: SearchFlags): Promise<void> {
  const dir = flags.resume ?? flags.runDir ?? timestampedRunDir('search');
  const mode =
    flags.resume !== undefined
      ? ({ resume: true } as const)
      : ({ resume: false, settings: settingsFrom(flags), space: flags.space } as const);
  const addresses = trainerList(flags);
  const token = flags.token ?? process.env.NAS_TRAINER_TOKEN;
  const session = await openSearch(dir, mode, {
    addresses,
    backend: flags.backend,
    ...(token ? { token } : {}),
    ...(flags.localTrainers ? { localCount: flags.localTrainers } : {}),
  });
  process.stderr.write(`run directory ${dir}; trainers ${session.trainers.join(', ')}\n`);
  const counts = session.driver.store.counts();
  const view = flags.json
    ? null
    : createSearchView(session.settings.maxTrials, counts.succeeded + counts.failed);
  const stop$ = merge(
    fromEvent(process, 'SIGINT'),
    fromEvent(process, 'SIGTERM'),
    flags.time === undefined ? NEVER : timer(parseDuration(flags.time)),
  );
  try {
    await lastValueFrom(
      runSearch(session.driver, stop$).pipe(
        tap((event) => {
          if (flags.json) process.stdout.write(JSON.stringify(event) + '\n');
          else view?.update(event, session.driver.pool.load());
        }),
      ),
      { defaultValue: null },
    );
  } finally {
    view?.stop();
    const best = session.driver.store.bestTrials(1)[0];
    if (!flags.json && best !== undefined) {
      process.stdout.write(
        `\nbest: trial ${best.id}, reward ${((best.reward ?? 0) * 100).toFixed(1)}%, hash ${best.hash}\n${renderGenotypeTable(best.genotype)}\n`,
      );
      process.stdout.write(`\nmore: nas-ctl status ${dir}; nas-ctl best ${dir} --top 5\n`);
    }
    await session.close();
  }
}

function settingsFrom(flags: SearchFlags): SearchSettings {
  const size = parseNetworkSize(flags.size);
  return {
    strategy: defaultStrategyConfig(
      flags.strategy,
      typeof flags.seed === 'number' ? flags.seed : 0,
    ),
    maxTrials: flags.trials,
    dataset: flags.dataset,
    network: { ...size, skeleton: flags.skeleton, auxHead: false },
    training: parseTrainingSettings({ ...SEARCH_TRAINING, ...trainingFromFlags(flags) }),
    rewardEpochs: flags.rewardEpochs,
    reuseDuplicates: !flags.retrainDuplicates,
    maxAttempts: 3,
    snapshotEvery: 20,
  };
}

function trainerList(flags: SearchFlags): string[] {
  const fromFlag = flags.trainers?.split(',') ?? [];
  const fromFile =
    flags.trainersFile === undefined ? [] : readFileSync(flags.trainersFile, 'utf8').split('\n');
  return [...fromFlag, ...fromFile]
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
}
