/**
 * The dashboard's JSON endpoints, all GET and all reads:
 *
 *   /api/runs                    every run's overview
 *   /api/runs/:run               one run's overview
 *   /api/runs/:run/trials        its trials as table rows
 *   /api/runs/:run/trials/:id    one trial: row, epochs, genotype, both cells as DOT
 *   /api/runs/:run/signal        the strategy's learning signal
 *
 * Each first reads what the run committed since the last read, so an answer is never staler than
 * the store.
 */
import { UnknownTrialError } from '../store/index.ts';
import type { DashboardRun } from './dashboard-run.ts';

/** An endpoint's answer: a status and a JSON-able body. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

const ROUTE = /^\/api\/runs(?:\/(\d+)(?:\/(trials|signal)(?:\/(\d+))?)?)?$/;

/** Whether `path` is one of the endpoints above (whatever run or trial it names). */
export function isApiPath(path: string): boolean {
  const match = ROUTE.exec(path);
  return match !== null && !(match[2] === 'signal' && match[3] !== undefined);
}

/** The answer to GET `path` (an /api/ path) over `runs`, or null when no endpoint has that path. */
export function answerApi(path: string, runs: readonly DashboardRun[]): ApiAnswer | null {
  const match = ROUTE.exec(path);
  if (match === null || !isApiPath(path)) return null;
  const [, runText, part, idText] = match;
  if (runText === undefined) {
    for (const run of runs) run.sync();
    return ok({ runs: runs.map((r) => r.overview()) });
  }
  const run = runs[Number(runText)];
  if (run === undefined) return notFound(`no run ${runText}; the dashboard serves ${runs.length}`);
  run.sync();
  if (part === undefined) return ok(run.overview());
  if (part === 'signal') return ok(run.signal());
  if (idText === undefined) return ok({ trials: run.trials() });
  try {
    return ok(run.trial(Number(idText)));
  } catch (err) {
    if (err instanceof UnknownTrialError) return notFound(err.message);
    throw err;
  }
}

function ok(body: unknown): ApiAnswer {
  return { status: 200, body };
}

function notFound(error: string): ApiAnswer {
  return { status: 404, body: { error } };
}
