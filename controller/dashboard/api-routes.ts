/**
 * The dashboard's endpoints, all GET and all reads. JSON:
 *
 *   /api/runs                         every run's overview, and the settings the runs differ in
 *   /api/runs/:run                    one run's overview
 *   /api/runs/:run/trials             its trials as table rows
 *   /api/runs/:run/trials/:id         one trial: row, epochs, genotype, its cells as DOT
 *   /api/runs/:run/signal             the strategy's learning signal
 *   /api/runs/:run/curves             every trial's validation accuracy by epoch
 *   /api/runs/:run/importance         the decision importance (decision-importance.ts)
 *   /api/runs/:run/logs               the trainers' log files
 *   /api/runs/:run/logs/:name         the end of one
 *
 * Downloads (Content-Disposition: attachment):
 *
 *   /api/runs/:run/trials.csv               every trial, as `nas-ctl export --trials-csv` writes
 *   /api/runs/:run/trials/:id/genotype.json  one trial's genotype
 *   /api/runs/:run/model.json, weights.bin   a model saved in the run directory, when there is one
 *
 * Each first reads what the run committed since the last read, so an answer is never staler than
 * the store.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnknownTrialError } from '../store/index.ts';
import type { DashboardRun } from './dashboard-run.ts';
import { settingsDiff } from '../reports/settings-diff.ts';

/** A file to download: its type, its name and its bytes. */
export interface Download {
  readonly type: string;
  readonly filename: string;
  readonly body: string | Buffer;
}

/** An endpoint's answer: a status and a JSON-able body, or a download. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly download?: Download;
}

const RUN = String.raw`^\/api\/runs\/(\d+)`;

/** Each endpoint under one run: its path pattern and its answer (`m` is the match). */
const RUN_ROUTES: readonly [RegExp, (run: DashboardRun, m: RegExpExecArray) => ApiAnswer][] = [
  [new RegExp(`${RUN}$`), (run) => ok(run.overview())],
  [new RegExp(`${RUN}/trials$`), (run) => ok({ trials: run.trials() })],
  [new RegExp(`${RUN}/trials/(\\d+)$`), (run, m) => trialAnswer(run, Number(m[2]))],
  [new RegExp(`${RUN}/signal$`), (run) => ok(run.signal())],
  [new RegExp(`${RUN}/curves$`), (run) => ok({ curves: run.reads.curves(lastId(run)) })],
  [new RegExp(`${RUN}/importance$`), (run) => ok(run.reads.importance(run.trials()))],
  [new RegExp(`${RUN}/logs$`), (run) => ok({ logs: run.reads.logNames() })],
  [new RegExp(`${RUN}/logs/([A-Za-z0-9._-]+)$`), (run, m) => logAnswer(run, m[2] ?? '')],
  [
    new RegExp(`${RUN}/trials\\.csv$`),
    (run) => download('text/csv; charset=utf-8', `${slug(run)}-trials.csv`, run.reads.trialsCsv()),
  ],
  [new RegExp(`${RUN}/trials/(\\d+)/genotype\\.json$`), (run, m) => genotypeAnswer(run, m)],
  [new RegExp(`${RUN}/(model\\.json|weights\\.bin)$`), (run, m) => modelAnswer(run, m[2] ?? '')],
];

/** Whether `path` is one of the endpoints above (whatever run or trial it names). */
export function isApiPath(path: string): boolean {
  return path === '/api/runs' || RUN_ROUTES.some(([pattern]) => pattern.test(path));
}

/** The answer to GET `path` (an /api/ path) over `runs`, or null when no endpoint has that path. */
export function answerApi(path: string, runs: readonly DashboardRun[]): ApiAnswer | null {
  if (path === '/api/runs') {
    for (const run of runs) run.sync();
    const overviews = runs.map((r) => r.overview());
    // The settings that decide what a reward means, and the budget, as `nas-ctl compare` reads them.
    const comparable = runs.map((r) => r.comparableSettings());
    const readable = comparable.every((c) => c !== null);
    return ok({
      runs: overviews,
      settingsDifferences: readable ? settingsDiff(comparable) : [],
    });
  }
  for (const [pattern, answer] of RUN_ROUTES) {
    const match = pattern.exec(path);
    if (match === null) continue;
    const run = runs[Number(match[1])];
    if (run === undefined)
      return notFound(`no run ${match[1]}; the dashboard serves ${runs.length}`);
    run.sync();
    try {
      return answer(run, match);
    } catch (err) {
      if (err instanceof UnknownTrialError) return notFound(err.message);
      throw err;
    }
  }
  return null;
}

function trialAnswer(run: DashboardRun, id: number): ApiAnswer {
  return ok(run.trial(id));
}

function genotypeAnswer(run: DashboardRun, m: RegExpExecArray): ApiAnswer {
  const { genotype, trial } = run.trial(Number(m[2]));
  const text = `${JSON.stringify(genotype, null, 2)}\n`;
  return download('application/json', `${slug(run)}-trial-${trial.id}-${trial.hash}.json`, text);
}

function logAnswer(run: DashboardRun, name: string): ApiAnswer {
  const tail = run.reads.logTail(name);
  return tail === null ? notFound(`no log ${name} in ${run.dir}/logs`) : ok(tail);
}

function modelAnswer(run: DashboardRun, file: string): ApiAnswer {
  if (!run.reads.hasModel()) return notFound(`${run.dir} holds no saved model (model.json)`);
  try {
    const body = readFileSync(join(run.dir, file));
    const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    return download(type, `${slug(run)}-${file}`, body);
  } catch {
    return notFound(`${run.dir} has no ${file}`);
  }
}

/** The highest trial id of the run (0 with none). */
function lastId(run: DashboardRun): number {
  return run.trials().at(-1)?.id ?? 0;
}

/** The run directory's base name in characters safe in a file name. */
function slug(run: DashboardRun): string {
  return run.overview().label.replace(/[^A-Za-z0-9._-]/g, '_') || 'run';
}

function ok(body: unknown): ApiAnswer {
  return { status: 200, body };
}

function download(type: string, filename: string, body: string | Buffer): ApiAnswer {
  return { status: 200, body: null, download: { type, filename, body } };
}

function notFound(error: string): ApiAnswer {
  return { status: 404, body: { error } };
}
