/**
 * A second controller on a running search's run: once the first search is mid-way (some trials
 * finished, one running), `nas-ctl search --resume <run>`, `nas-ctl search --run-dir <run>` (the
 * same folder as a new run) and `nas-ctl doctor --repair <run>` start beside it. Holds when each is
 * refused promptly (exit non-zero, one message, the resume and the repair naming the run as held,
 * no stack trace) and the first search still ends by itself with every budgeted trial finished
 * exactly once and `nas-ctl doctor` finding nothing. The row's seconds: the slowest refusal.
 */
import { join } from 'node:path';
import { attemptBudget, type ChaosContext, type Fault, type RoundOutcome } from '../fault.ts';
import { describeRun, runCtl, stackLines, type CtlRun } from '../ctl-command.ts';
import { doctorProblems, runProblems } from '../run-invariant.ts';
import { LONG_TRIALS } from '../search-flags.ts';
import { endWithin, awaitMidway, startSearch, type SearchJob } from '../search-job.ts';

/** A refusal must come this soon: the lease is read when the run is opened. */
const REFUSED_MS = 30_000;
/** A whole tiny search on a loaded machine. */
const SEARCH_MS = 180_000;
/** What RunHeldError says (controller/store/errors.ts). */
const HELD = /is held by another nas-ctl/;

/** The second-controller fault. */
export const secondController: Fault = { name: 'second controller', run: oneRound };

/** One nas-ctl started beside the search, and what its refusal must say (null: any message). */
interface Contender {
  readonly what: string;
  readonly args: readonly string[];
  readonly says: RegExp | null;
}

async function oneRound(ctx: ChaosContext, round: number, attempt: number): Promise<RoundOutcome> {
  const budget = attemptBudget(ctx.budget, attempt);
  const dir = join(ctx.registry.tempDir('second'), 'run');
  const trainers = ctx.shared.map((t) => t.address).join(',');
  const settings = [...['--trials', String(budget), '--trainers', trainers], ...LONG_TRIALS];
  const seed = ['--strategy', 'random', '--seed', String(ctx.rng.int(1000))];
  const first = startSearch(ctx.registry, [...seed, '--run-dir', dir, ...settings]);
  const after = ctx.rng.int(Math.max(1, budget - 2));
  if ((await awaitMidway(first, after, SEARCH_MS)) === undefined) {
    ctx.registry.killGroup(first.pid);
    return { kind: 'missed', note: `the search ended before ${after} finished and one running` };
  }
  const contenders: readonly Contender[] = [
    {
      what: 'search --resume',
      args: ['search', '--resume', dir, '--trainers', trainers],
      says: HELD,
    },
    {
      what: 'search --run-dir',
      args: ['search', '--run-dir', dir, ...seed, ...settings],
      says: null,
    },
    { what: 'doctor --repair', args: ['doctor', '--repair', dir], says: HELD },
  ];
  const runs = await Promise.all(contenders.map((c) => runCtl(ctx.registry, c.args, REFUSED_MS)));
  const problems = runs.flatMap((run, i) => refusalProblems(contenders[i], run));
  if (first.end() !== null && problems.length > 0) {
    ctx.registry.killGroup(first.pid);
    const why = problems.join('; ');
    return { kind: 'missed', note: `the first search ended while the others ran (${why})` };
  }
  problems.push(...(await firstProblems(ctx, first, dir, budget)));
  const note = `after ${after} finished, one running; ${contenders.length} contenders refused`;
  const seconds = Math.max(...runs.map((run) => run.ms)) / 1000;
  return problems.length === 0
    ? { kind: 'held', note, seconds }
    : { kind: 'failed', note: `${note}: ${problems.join('; ')}`, seconds };
}

/** The first search must end by itself, its run complete and consistent. */
async function firstProblems(
  ctx: ChaosContext,
  first: SearchJob,
  dir: string,
  budget: number,
): Promise<string[]> {
  const end = await endWithin(first, SEARCH_MS);
  ctx.registry.killGroup(first.pid);
  if (end?.code !== 0)
    return [`first search ended with ${end?.code ?? end?.signal ?? 'nothing (still running)'}`];
  return [
    ...runProblems(dir, budget, [first.events]),
    ...(await doctorProblems(ctx.registry, dir)),
  ];
}

/** What is wrong with how a contender was refused (`message`: what its stderr must say). */
function refusalProblems(contender: Contender | undefined, run: CtlRun): string[] {
  const what = contender?.what ?? 'a contender';
  const message = contender?.says ?? null;
  if (run.code === 0 || run.timedOut) return [`${what} was not refused: ${describeRun(run)}`];
  const problems: string[] = [];
  if (message !== null && !message.test(run.stderr))
    problems.push(`${what} refused without saying the run is held: ${describeRun(run)}`);
  if (run.stderr.trim() === '') problems.push(`${what} exited ${run.code} without a message`);
  const stack = stackLines(run.stderr);
  if (stack.length > 0) problems.push(`${what} printed a stack trace (${stack[0]?.trim()})`);
  return problems;
}
