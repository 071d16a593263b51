/**
 * A hostile trainer in a search's pool beside an honest one: it answers at once, first with text
 * that would act on a terminal (ESC sequences, BEL, an 8-bit CSI, a bidi override) in a failure's
 * reason and a gRPC error, then with numbers that cannot be true (an accuracy of 5, a NaN loss, an
 * epoch out of order, sizes that are not the request's, a negative time); its names hold the same
 * text. Holds when the search ends by itself with every budgeted trial finished (exit 0, or 1
 * exactly when every trial failed), no trial stored as succeeded on the hostile trainer, no trial
 * given to it after its third invalid result in a row, every stored reward in [0, 1], `nas-ctl
 * doctor` finding nothing, and none of those controls raw in what nas-ctl printed: the search's
 * log and `status`, `best` and `export`, in text and JSON.
 */
import { join } from 'node:path';
import type { TrialRecord } from '../../../controller/store/index.ts';
import { attemptBudget, type ChaosContext, type Fault, type RoundOutcome } from '../fault.ts';
import {
  controlName,
  describeRun,
  rawControls,
  runCtl,
  stackLines,
  type CtlRun,
} from '../ctl-command.ts';
import { SUSPECT_AFTER } from '../../../controller/search/trainer-pool.ts';
import { HOSTILE_CONTROLS, HOSTILE_KINDS, HOSTILE_ORDER, mostAnswers } from '../hostile-answers.ts';
import { startHostileTrainer, type HostileTrainer } from '../hostile-trainer-server.ts';
import { doctorProblems, rewardProblems, storeProblems, storedTrials } from '../run-invariant.ts';
import { TINY_TRIALS } from '../search-flags.ts';
import { endWithin, startSearch, type JobEnd } from '../search-job.ts';

/** A whole search of tiny trials on the honest trainer, on a loaded machine. */
const SEARCH_MS = 180_000;

/** What is printed about a run, each output checked for raw controls. */
const REPORTS: readonly (readonly string[])[] = [
  ['status'],
  ['status', '--json'],
  ['best'],
  ['best', '--json'],
  ['export', '--trials-csv', '-'],
];

/** The hostile-trainer fault. */
export const hostileTrainer: Fault = { name: 'hostile trainer', run: oneRound };

async function oneRound(ctx: ChaosContext, round: number, attempt: number): Promise<RoundOutcome> {
  // More trials than the answers it gives before it is left out: the honest trainer gets some too.
  const budget = attemptBudget(ctx.budget, attempt) + 3;
  const hostile = await startHostileTrainer(round);
  const dir = join(ctx.registry.tempDir('hostile'), 'run');
  const job = startSearch(
    ctx.registry,
    [
      ...['--strategy', 'random', '--seed', String(ctx.rng.int(1000)), '--run-dir', dir],
      ...['--trials', String(budget), '--trainers', `${hostile.address},${ctx.shared[0].address}`],
      ...TINY_TRIALS,
    ],
    { json: false },
  );
  const end = await endWithin(job, SEARCH_MS);
  ctx.registry.killGroup(job.pid);
  hostile.close();
  if (hostile.answered.length === 0)
    return { kind: 'missed', note: 'the hostile trainer was given no trial' };
  const trials = storedTrials(dir);
  const printed = [{ what: 'search', text: job.output() }, ...(await reports(ctx, dir))];
  const problems = [
    ...exitProblems(end, trials),
    ...storeProblems(trials, budget),
    ...rewardProblems(trials),
    ...believed(trials, hostile),
    ...keptOn(hostile),
    ...printed.flatMap(outputProblems),
    ...(await doctorProblems(ctx.registry, dir)),
  ];
  const succeeded = trials.filter((t) => t.status === 'succeeded').length;
  const escaped = printed.filter((p) => ESCAPED.some((e) => p.text.includes(e))).map((p) => p.what);
  const note = `${summary(hostile)}; ${succeeded} of ${budget} trials succeeded; its text shown escaped by ${escaped.join(', ') || 'nothing'}`;
  return problems.length === 0
    ? { kind: 'held', note }
    : { kind: 'failed', note: `${note}: ${problems.join('; ')}` };
}

/** After {@link SUSPECT_AFTER} invalid results in a row a trainer is left out for 30 minutes. */
function keptOn(hostile: HostileTrainer): string[] {
  const most = mostAnswers(SUSPECT_AFTER);
  if (hostile.answered.length <= most) return [];
  return [`the hostile trainer got ${hostile.answered.length} trials, not left out after ${most}`];
}

/** The search ends by itself: exit 0, or 1 exactly when every trial failed (nas-ctl's --help). */
function exitProblems(end: JobEnd | null, trials: readonly TrialRecord[]): string[] {
  const expected = trials.every((t) => t.status === 'failed') ? 1 : 0;
  if (end?.code === expected) return [];
  const how = end === null ? 'still running' : `ended with ${end.code ?? end.signal}`;
  return [`search ${how}, expected exit ${expected}`];
}

/** Trials stored as succeeded on the hostile trainer: every answer it gave was a lie or a failure. */
function believed(trials: readonly TrialRecord[], hostile: HostileTrainer): string[] {
  return trials
    .filter((t) => t.trainer === hostile.address && t.status === 'succeeded')
    .map((t) => `trial ${t.id} stored succeeded on the hostile trainer (reward ${t.reward})`);
}

/** What one nas-ctl command printed (stdout and stderr) and how it ended. */
interface Printed {
  readonly what: string;
  readonly text: string;
  readonly run?: CtlRun;
}

/** The escapes shared/printable.ts and JSON write for ESC: seen, the hostile text reached the output. */
const ESCAPED: readonly string[] = ['\\x1b', '\\u001b'];

/** A report that did not exit 0, raw controls, or a stack trace in what it printed. */
function outputProblems({ what, text, run }: Printed): string[] {
  const problems: string[] = [];
  if (run !== undefined && run.code !== 0) problems.push(`${what}: ${describeRun(run)}`);
  const raw = rawControls(text, HOSTILE_CONTROLS);
  if (raw.length > 0) problems.push(`${what} printed raw ${raw.map(controlName).join(' ')}`);
  const stack = stackLines(text);
  if (stack.length > 0) problems.push(`${what} printed a stack trace (${stack[0]?.trim()})`);
  return problems;
}

/** Each of {@link REPORTS} on the run. */
async function reports(ctx: ChaosContext, dir: string): Promise<Printed[]> {
  const printed: Printed[] = [];
  for (const args of REPORTS) {
    const run = await runCtl(ctx.registry, [...args, dir]);
    printed.push({ what: `nas-ctl ${args.join(' ')}`, text: run.stdout + run.stderr, run });
  }
  return printed;
}

/** The lies told, by kind: `accuracy 5 x1, NaN loss x1 (2 invalid)`. */
function summary(hostile: HostileTrainer): string {
  const counts = HOSTILE_ORDER.map(
    (k) => [k, hostile.answered.filter((a) => a === k).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} x${n}`);
  const invalid = hostile.answered.filter((k) => HOSTILE_KINDS[k].invalid).length;
  return `hostile answers: ${counts.join(', ')} (${invalid} invalid)`;
}
