/**
 * The invariants of a search's run, read from its run directory (and its runs' events): exactly the
 * budgeted trials, each finished exactly once (none lost, doubled or left running); every stored
 * reward in [0, 1]; and `nas-ctl doctor` finding nothing wrong.
 */
import { openRunStore, type TrialRecord } from '../../controller/store/index.ts';
import { describeRun, runCtl } from './ctl-command.ts';
import type { ProcessRegistry } from './processes.ts';
import { finishedIds, type TimedEvent } from './search-job.ts';

const isFinal = (t: TrialRecord): boolean => t.status === 'succeeded' || t.status === 'failed';

/** The stored trials of the run in `dir`. */
export function storedTrials(dir: string): TrialRecord[] {
  const store = openRunStore(dir, { readonly: true });
  try {
    return store.trials();
  } finally {
    store.close();
  }
}

/**
 * What is wrong with the finished run in `dir` whose runs reported `runs` events, one line per
 * problem; empty when the invariant holds.
 */
export function runProblems(
  dir: string,
  budget: number,
  runs: readonly (readonly TimedEvent[])[],
): string[] {
  const trials = storedTrials(dir);
  return [...storeProblems(trials, budget), ...eventProblems(trials, runs)];
}

/** What is wrong with a finished run's stored `trials`: not `budget` of them, open, doubled. */
export function storeProblems(trials: readonly TrialRecord[], budget: number): string[] {
  const problems: string[] = [];
  if (trials.length !== budget) problems.push(`${trials.length} trials stored, budget ${budget}`);
  const open = trials.filter((t) => !isFinal(t)).map((t) => `${t.id}:${t.status}`);
  if (open.length > 0) problems.push(`not finished: ${open.join(', ')}`);
  const candidates = new Set(trials.map((t) => t.candidateId));
  if (candidates.size !== trials.length) problems.push('a candidate stored twice');
  const orders = trials.map((t) => t.finishOrder ?? 0).sort((a, b) => a - b);
  if (orders.some((order, i) => order !== i + 1))
    problems.push(`finish orders ${orders.join(',')}, expected 1..${trials.length}`);
  return problems;
}

/** Every stored trial is reported finished exactly once over all runs, as stored. */
function eventProblems(
  trials: readonly TrialRecord[],
  runs: readonly (readonly TimedEvent[])[],
): string[] {
  const reported = runs.flatMap(finishedIds);
  const twice = reported.filter((id, i) => reported.indexOf(id) !== i);
  const problems: string[] = [];
  if (twice.length > 0) problems.push(`reported finished twice: ${twice.join(', ')}`);
  const unreported = trials.filter((t) => !reported.includes(t.id)).map((t) => t.id);
  if (unreported.length > 0) problems.push(`never reported finished: ${unreported.join(', ')}`);
  for (const { event } of runs.flat()) {
    if (event.type !== 'trial-finished') continue;
    const stored = trials.find((t) => t.id === event.trialId);
    if (stored?.status !== event.status || stored.reward !== event.reward)
      problems.push(`trial ${event.trialId} reported ${event.status}, stored ${stored?.status}`);
  }
  return problems;
}

/** Stored rewards that are not a finite number in [0, 1] (a failed trial's null is fine). */
export function rewardProblems(trials: readonly TrialRecord[]): string[] {
  return trials
    .filter(
      (t) => t.reward !== null && !(Number.isFinite(t.reward) && t.reward >= 0 && t.reward <= 1),
    )
    .map((t) => `trial ${t.id} stored reward ${String(t.reward)}`);
}

/** What `nas-ctl doctor <dir>` finds: nothing when it exits 0, else its exit and last line. */
export async function doctorProblems(registry: ProcessRegistry, dir: string): Promise<string[]> {
  const run = await runCtl(registry, ['doctor', dir]);
  return run.code === 0 ? [] : [`doctor: ${describeRun(run)}`];
}
