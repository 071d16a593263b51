/**
 * The second half of the stop faults (kill, SIGINT, a full disk): the stopped run resumed on the
 * shared trainers must finish every budgeted trial exactly once, pass `doctor`, and leave the
 * trainers idle.
 */
import type { ChaosContext } from './fault.ts';
import { doctorProblems, runProblems } from './run-invariant.ts';
import { endWithin, startSearch, type SearchJob } from './search-job.ts';
import { waitIdle } from './trainer-probe.ts';

/** How long a resumed search of the campaign's tiny trials may take. */
const RESUME_MS = 180_000;

/** Resumes the run in `dir` that `first` stopped; what is wrong with how it ended ([] when nothing). */
export async function resumeProblems(
  ctx: ChaosContext,
  dir: string,
  budget: number,
  first: SearchJob,
): Promise<string[]> {
  const trainers = ctx.shared.map((t) => t.address).join(',');
  const second = startSearch(ctx.registry, ['--resume', dir, '--trainers', trainers]);
  const resumed = await endWithin(second, RESUME_MS);
  const problems: string[] = [];
  if (resumed?.code !== 0) problems.push(`resume ended ${describeEnd(second)}`);
  else problems.push(...runProblems(dir, budget, [first.events, second.events]));
  problems.push(...(await doctorProblems(ctx.registry, dir)));
  for (const t of ctx.shared) {
    const busy = await waitIdle(t.address, 5_000);
    if (busy !== null) problems.push(`not idle afterwards: ${busy}`);
  }
  ctx.registry.killGroup(second.pid);
  return problems;
}

/** How `job` ended, with its last line of stderr, for a note. */
export function describeEnd(job: SearchJob): string {
  const end = job.end();
  if (end === null) return 'not at all (still running)';
  const last = job.stderr().trim().split('\n').at(-1) ?? '';
  return `with ${end.code ?? end.signal}${last === '' ? '' : ` (${last.slice(0, 200)})`}`;
}
