/**
 * The campaign: two shared trainers, then `rounds` rounds of every chosen fault in turn. A round is
 * tried again while its fault could not be injected (up to `retries` more times, each with more
 * room); each attempt's outcome is logged as it comes; a fault that throws counts as failed, never
 * ends the campaign.
 */
import { createRng } from '../../shared/rng.ts';
import type { ChaosContext, Fault } from './fault.ts';
import { badTrial } from './faults/bad-trial.ts';
import { diskFull } from './faults/disk-full.ts';
import { freezeTrainer } from './faults/freeze-trainer.ts';
import { hostileTrainer } from './faults/hostile-trainer.ts';
import { infoLatency } from './faults/info-latency.ts';
import { killTrainer } from './faults/kill-trainer.ts';
import { secondController } from './faults/second-controller.ts';
import { stopAndResume } from './faults/stop-and-resume.ts';
import type { ChaosOptions, FaultKey } from './options.ts';
import type { ProcessRegistry } from './processes.ts';
import type { FaultRow } from './report.ts';
import { runRound, type RoundRecord } from './round-retry.ts';
import { startTrainer } from './trainer-process.ts';

/** Each fault and what its row's seconds measure. */
const FAULTS: Readonly<Record<FaultKey, { readonly fault: Fault; readonly measure?: string }>> = {
  'kill-search': { fault: stopAndResume('nas-ctl kill -9 + resume', 'SIGKILL') },
  'sigint-search': {
    fault: stopAndResume('nas-ctl SIGINT + resume', 'SIGINT'),
    measure: 'exit after SIGINT',
  },
  'freeze-trainer': { fault: freezeTrainer, measure: 'noticed' },
  'kill-trainer': { fault: killTrainer, measure: 'on the live trainer' },
  'bad-trial': { fault: badTrial, measure: 'small trial ok' },
  'info-latency': { fault: infoLatency, measure: 'slowest GetInfo' },
  'hostile-trainer': { fault: hostileTrainer },
  'second-controller': { fault: secondController, measure: 'refused after' },
  'disk-full': { fault: diskFull, measure: 'exit after the disk filled' },
};

/** Runs the campaign and returns its rows. */
export async function runCampaign(
  options: ChaosOptions,
  registry: ProcessRegistry,
  log: (line: string) => void,
): Promise<FaultRow[]> {
  log(
    `chaos: seed ${options.seed}, ${options.rounds} round(s) of ${options.faults.length} ` +
      `fault(s), up to ${options.retries} retries each, starting two trainers`,
  );
  const [a, b] = await Promise.all([startTrainer(registry), startTrainer(registry)]);
  const ctx: ChaosContext = {
    rng: createRng(options.seed),
    registry,
    shared: [a, b],
    budget: options.budget,
    log,
  };
  const records = new Map<FaultKey, RoundRecord[]>(options.faults.map((k) => [k, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const key of options.faults) {
      const place = { round, rounds: options.rounds, retries: options.retries };
      records.get(key)?.push(await runRound(FAULTS[key].fault, ctx, place));
    }
  }
  return options.faults.map((key) => {
    const { fault, measure } = FAULTS[key];
    return {
      name: fault.name,
      asked: options.rounds,
      rounds: records.get(key) ?? [],
      ...(measure === undefined ? {} : { measure }),
    };
  });
}
