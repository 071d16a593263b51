/**
 * The campaign: two shared trainers, then `rounds` rounds of every chosen fault in turn, each
 * round's outcome logged as it comes; a fault that throws counts as failed, never ends the campaign.
 */
import { createRng } from '../../shared/rng.ts';
import type { ChaosContext, Fault, RoundOutcome } from './fault.ts';
import { badTrial } from './faults/bad-trial.ts';
import { freezeTrainer } from './faults/freeze-trainer.ts';
import { infoLatency } from './faults/info-latency.ts';
import { killTrainer } from './faults/kill-trainer.ts';
import { stopAndResume } from './faults/stop-and-resume.ts';
import type { ChaosOptions, FaultKey } from './options.ts';
import type { ProcessRegistry } from './processes.ts';
import type { FaultRow } from './report.ts';
import { messageOf } from './trainer-probe.ts';
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
};

/** Runs the campaign and returns its rows. */
export async function runCampaign(
  options: ChaosOptions,
  registry: ProcessRegistry,
  log: (line: string) => void,
): Promise<FaultRow[]> {
  log(`chaos: seed ${options.seed}, ${options.rounds} round(s), starting two trainers`);
  const [a, b] = await Promise.all([startTrainer(registry), startTrainer(registry)]);
  const ctx: ChaosContext = {
    rng: createRng(options.seed),
    registry,
    shared: [a, b],
    budget: options.budget,
    log,
  };
  const outcomes = new Map<FaultKey, RoundOutcome[]>(options.faults.map((k) => [k, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const key of options.faults) {
      const { fault } = FAULTS[key];
      const started = Date.now();
      const outcome = await fault.run(ctx, round).catch((err: unknown): RoundOutcome => ({
        kind: 'failed',
        note: `threw: ${messageOf(err)}`,
      }));
      outcomes.get(key)?.push(outcome);
      const took = ((Date.now() - started) / 1000).toFixed(0);
      log(
        `[${round + 1}/${options.rounds}] ${fault.name}: ${outcome.kind} (${took} s) ${outcome.note}`,
      );
    }
  }
  return options.faults.map((key) => {
    const { fault, measure } = FAULTS[key];
    return {
      name: fault.name,
      outcomes: outcomes.get(key) ?? [],
      ...(measure === undefined ? {} : { measure }),
    };
  });
}
