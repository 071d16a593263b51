/**
 * `nas-ctl search`: RL, regularized evolution or random search over a pool of trainers, persisted
 * to a run directory and resumable. With no flags it runs the embedded default: a small real search
 * on the embedded Fashion-MNIST subset with local trainers, and prints the best cell.
 */
import { lastValueFrom, merge, NEVER, timer, type Observable } from 'rxjs';
import { tap } from 'rxjs/operators';
import type { FleetEvent, SearchOrFleetEvent } from '../search/search-events.ts';
import { describeFleet, writeFleetRecord } from '../fleet/fleet-record.ts';
import { hostTargets } from '../fleet/trainer-target.ts';
import { fleetLine } from './search-format.ts';
import { printNote } from './progress-notes.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { METRICS_PUBLIC_HELP } from '../../runtime/metrics-address.ts';
import { formatPercent } from '../../shared/percent.ts';
import { printableJson } from '../../shared/printable.ts';
import { renderGenotypeTable } from '../../shared/render.ts';
import { formatNetworkSize } from '../../shared/network-settings.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { DEFAULT_STRATEGY, STRATEGY_NAMES } from '../../shared/strategy-config.ts';
import { TOKEN_ENV } from '../../runtime/trainer-token.ts';
import { RUN_FILE, RunExistsError } from '../store/index.ts';
import { extendRunBudget } from '../search/resume-budget.ts';
import { runSearch } from '../search/run-search.ts';
import { openSearch, type SearchSession } from '../search/search-session.ts';
import type { LocalTrainers } from '../search/local-trainers.ts';
import {
  startControllerMetrics,
  type ControllerMetricsEndpoint,
} from '../metrics/controller-metrics-endpoint.ts';
import { frozenSearch, lingerMetrics } from '../metrics/final-metrics.ts';
import { positiveInt, searchSpaceOption } from './options.ts';
import { addStrategyFlags, strategyFromFlags } from './strategy-flags.ts';
import { addSearchSettingFlags, settingsFlagsGiven } from './search-flags.ts';
import { addSearchConfigOption } from './search-config.ts';
import { addTrainingFlags } from './training-flags.ts';
import { FlagConflictError } from './flag-values.ts';
import { openSearchView } from './search-view.ts';
import { progressOption, resolveProgressMode, writeJsonEvent } from './progress-mode.ts';
import { parseDuration } from './duration.ts';
import { prepareOutputDir } from './output-dir.ts';
import {
  planSearch,
  SEARCH_TRAINING,
  type SearchFlags,
  type SearchPlan,
  type StopTime,
} from './search-plan.ts';
import { printSearchSummary, searchStopReason, searchSummaryEvent } from './search-summary.ts';
import { skeletonOption } from './skeleton-option.ts';
import { datasetLine } from './dataset-line.ts';
import { startLocal } from './start-local.ts';
import {
  addSearchDashboardFlags,
  searchDashboardAccess,
  startSearchDashboard,
  type SearchDashboard,
  type SearchDashboardFlags,
} from './dashboard-command.ts';
import { listenForStopSignals, signalExitCode } from './stop-signals.ts';

export { SEARCH_TRAINING } from './search-plan.ts';

/** Adds `search` to nas-ctl. */
export function registerSearchCommand(program: Command): void {
  const command = program
    .command('search')
    .description(`search for cells (${STRATEGY_NAMES.join(', ')}) over a pool of trainers`)
    .addOption(
      new Option('--strategy <name>', 'search strategy')
        .choices([...STRATEGY_NAMES])
        .default(DEFAULT_STRATEGY),
    )
    .option(
      '--time <duration>',
      'stop after this long (e.g. 30m, 2h); in-flight trials are re-run on --resume',
      (text: string): StopTime => ({ text, ms: parseDuration(text) }),
    )
    .option(
      '--trainers <list>',
      'trainers, comma-separated: host:port, dns:///name:port (A/AAAA records, re-resolved: a Kubernetes headless service), dns://dns-server/name:port, or srv:///_grpc._tcp.name (SRV records); each address counts as a trainer',
    )
    .option(
      '--trainers-file <file>',
      'a file with one --trainers entry per line (blank lines and # comments are skipped)',
    )
    .option(
      '--trainer-wait <duration>',
      'how long the start waits for a first trainer to answer before it fails (the others join whenever they answer)',
      (text: string): number => parseDuration(text, '--trainer-wait'),
    )
    .option(
      '--discovery-interval <duration>',
      'resolve the --trainers names again this often (and when a trainer is lost): new addresses join, vanished ones are drained (default: 10s)',
      (text: string): number => parseDuration(text, '--discovery-interval'),
    )
    .option(
      '--tls-ca <file>',
      "TLS to the trainers: CA certificates (PEM) of the trainers' certificates",
    )
    .option(
      '--tls-cert <file>',
      'TLS client certificate (PEM), for trainers that ask for one (with --tls-key)',
    )
    .option('--tls-key <file>', 'private key (PEM) of --tls-cert')
    .option(
      '--tls-server-name <name>',
      "the name trainers' certificates carry (default: the name each address was resolved from)",
    )
    .option(
      '--token <token>',
      `bearer token of the trainers (default: $${TOKEN_ENV}); visible in ps, prefer --token-file`,
    )
    .option(
      '--token-file <file>',
      'read the token from this file (one trailing newline dropped); not with --token',
    )
    .option('--run-dir <dir>', 'run directory to create (default: runs/search-<time>)')
    .option('--resume <dir>', 'continue the run in this directory (its stored settings are used)')
    .option('--dataset <spec>', 'dataset the trainers train on', 'fashion-mnist-small')
    .option('--size <N@F>', 'child network size', '1@48')
    .addOption(skeletonOption())
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
      'local trainers to start without --trainers (default: one per GPU, else per core; at most one per core)',
      positiveInt,
    )
    .option(
      '--force-local-trainers',
      'allow --local-trainers above the number of cores (each one is a training process)',
      false,
    )
    .option('--json', 'print search events as JSON lines, ending with a summary event', false)
    .addOption(progressOption())
    .option(
      '--metrics-port <n>',
      'serve Prometheus metrics at http://<metrics-host>:<n>/metrics while the search runs; 0 picks a free port (the address is printed on stderr); default: no metrics',
    )
    .option(
      '--metrics-host <address>',
      'address the metrics endpoint listens on, with --metrics-port (default: 127.0.0.1; one other machines reach needs --metrics-public)',
    )
    .option('--metrics-public', METRICS_PUBLIC_HELP, false)
    .option(
      '--metrics-linger <duration>',
      'with --metrics-port: keep serving the final metrics this long after the search ends (e.g. 60s, at least the scrape interval), so a last scrape sees the final counts; Ctrl-C ends it at once; 0: stop serving at once',
      (text: string): number => (text.trim() === '0' ? 0 : parseDuration(text, '--metrics-linger')),
      0,
    )
    .addHelpText(
      'after',
      '\nCtrl-C (SIGINT) or SIGTERM stops the search: trials in flight are cancelled and queued again,\n' +
        'the strategy is saved, and nas-ctl exits with 130 (SIGINT) or 143 (SIGTERM); a second signal\n' +
        'quits at once. --resume <dir> continues: finished trials are kept, the interrupted ones run again.',
    );
  addSearchDashboardFlags(command);
  const strategyFlags = addStrategyFlags(
    addTrainingFlags(addSearchSettingFlags(command, SEARCH_TRAINING), SEARCH_TRAINING),
  );
  addSearchConfigOption(command, strategyFlags);
  command.action(async (flags: SearchFlags & SearchDashboardFlags) => {
    const ignored = flags.resume === undefined ? [] : settingsFlagsGiven(command);
    if (ignored.length > 0) {
      throw new FlagConflictError(
        `--resume continues with the run's stored settings; drop ${ignored.join(', ')} (nas-ctl status ${flags.resume} shows them)`,
      );
    }
    // A value from --config counts as given, as it would on the command line.
    const given = (key: string): boolean =>
      ['cli', 'config'].includes(command.getOptionValueSource(key) ?? '');
    const seed = typeof flags.seed === 'number' ? flags.seed : 0;
    const choice = {
      name: flags.strategy,
      nameGiven: given('strategy'),
      seed,
      seedGiven: given('seed'),
    };
    const strategy = (): unknown => strategyFromFlags(strategyFlags, flags, choice);
    await search(flags, strategy);
  });
}

async function search(
  flags: SearchFlags & SearchDashboardFlags & { readonly metricsLinger?: number },
  strategy: () => unknown,
): Promise<void> {
  const plan = planSearch(flags, strategy);
  if ((flags.metricsLinger ?? 0) > 0 && plan.metrics === undefined)
    throw new FlagConflictError(
      '--metrics-linger goes with --metrics-port (nothing is served without it)',
    );
  const dashboardAccess = searchDashboardAccess(flags);
  // Listening before anything starts: a port in use fails at once, with nothing to undo.
  const metrics = await startControllerMetrics(plan.metrics);
  if (metrics.url !== null) process.stderr.write(`nas-ctl metrics on ${metrics.url}\n`);
  let dashboard: SearchDashboard | null = null;
  try {
    dashboard = await startSearchDashboard(dashboardAccess);
    const ranToEnd = await searchPlanned(flags, plan, metrics, dashboard);
    // A search a signal stopped was asked to end: no linger then.
    if (ranToEnd && metrics.url !== null)
      await lingerMetrics(metrics.url, flags.metricsLinger ?? 0);
  } finally {
    await dashboard?.close();
    await metrics.close();
  }
}

async function searchPlanned(
  flags: SearchFlags,
  plan: SearchPlan,
  metrics: ControllerMetricsEndpoint,
  dashboard: SearchDashboard | null,
): Promise<boolean> {
  const startedAt = Date.now();
  for (const note of plan.notes) process.stderr.write(`nas-ctl: ${note}\n`);
  const { dir } = plan;
  // Checked and made before any trainer starts: Node's own mkdir hangs on paths such as /proc/x.
  if (!plan.mode.resume) {
    prepareOutputDir(dir, '--run-dir');
    if (existsSync(join(dir, RUN_FILE))) throw new RunExistsError(dir);
  } else if (plan.mode.maxTrials !== undefined) {
    const { maxTrials } = extendRunBudget(dir, plan.mode.maxTrials);
    process.stderr.write(
      `nas-ctl: run ${dir} now stops after ${maxTrials ?? 'unlimited'} trials\n`,
    );
  }
  // Listening from before the local trainers start: a Ctrl-C while they start stops them too.
  const signals = listenForStopSignals(dir);
  let local: LocalTrainers | null = null;
  // The fleet's changes: lines above the view (or JSON) from the first resolution on.
  let showFleet = (event: FleetEvent): void => {
    metrics.observe(event);
    if (flags.json) process.stdout.write(printableJson(JSON.stringify(event)) + '\n');
    // Local trainers joining is no news: the line naming the run's trainers says it.
    else if (local === null || event.type !== 'trainer-joined')
      printNote(`nas-ctl: ${fleetLine(event)}\n`);
  };
  try {
    if (plan.targets.length === 0) {
      local = await startLocal(plan, flags.backend, signals);
      if (local === null) return false;
    }
    const session = await openSearch(dir, plan.mode, {
      targets: local === null ? plan.targets : hostTargets(local.addresses),
      ...(plan.token === undefined ? {} : { token: plan.token }),
      ...(plan.tls === undefined ? {} : { tls: plan.tls }),
      connect: metrics.connect,
      abort: signals.abort,
      waitMs: plan.trainerWaitMs,
      discoveryIntervalMs: plan.discoveryIntervalMs,
      onFleetEvent: (event) => showFleet(event),
    }).catch((err: unknown) => {
      // A Ctrl-C reaches the local trainers too, and one still starting then dies: not an error.
      const signal = signals.received();
      if (signal === null) throw err;
      process.stderr.write(
        `nas-ctl: search stopped by ${signal} while starting (${messageOf(err)}); continue with: nas-ctl search --resume ${dir}\n`,
      );
      process.exitCode = signalExitCode(signal);
      return null;
    });
    if (session === null) return false;
    // Kept with the run from now on, for the next --resume.
    writeFleetRecord(dir, plan.record);
    metrics.attach(session.driver);
    dashboard?.attach(dir, session);
    signals.onQuit(session);
    process.stderr.write(
      `run directory ${dir}; trainers ${session.trainers.join(', ')}${local === null ? ` (from ${describeFleet(plan.record)})` : ''}\n`,
    );
    process.stderr.write(datasetLine(session.dataset));
    process.stderr.write(networkLine(session.settings.network));
    try {
      if (signals.received() === null)
        await searchUntilDone(flags, dir, session, signals.first$, metrics.observe, (route) => {
          showFleet = route;
        });
      const summary = printSearchSummary(session.driver.store, flags.json);
      if (flags.json) {
        const { store } = session.driver;
        const stopReason = searchStopReason(
          store.counts(),
          session.settings.maxTrials,
          signals.received(),
        );
        const durationMs = Date.now() - startedAt;
        writeJsonEvent(searchSummaryEvent(store, { runDir: dir, stopReason, durationMs }));
      }
      endStopped(session, dir, signals.received() ?? 'time', flags.time?.text);
      // A search whose every trial failed found nothing: it fails (a stop keeps its signal's code).
      if (summary.allFailed && signals.received() === null) process.exitCode = 1;
      return signals.received() === null;
    } finally {
      // A scrape from now on must not read the store being closed: it reads the last values.
      metrics.attach(metrics.url === null ? null : frozenSearch(session.driver));
      await session.close();
    }
  } finally {
    await local?.stop();
    signals.dispose();
  }
}

/** Runs the pipeline until the budget is spent or a stop, showing its events; prints the best trial. */
async function searchUntilDone(
  flags: SearchFlags,
  dir: string,
  session: SearchSession,
  signal$: Observable<unknown>,
  observe: ControllerMetricsEndpoint['observe'],
  routeFleet: (show: (event: FleetEvent) => void) => void,
): Promise<void> {
  const mode = resolveProgressMode(flags.progress, process.stderr.isTTY === true);
  const view = flags.json ? null : openSearchView(session, mode, flags.time?.ms);
  const stop$ = merge(signal$, flags.time === undefined ? NEVER : timer(flags.time.ms));
  const show = (event: SearchOrFleetEvent): void => {
    observe(event);
    if (flags.json) process.stdout.write(printableJson(JSON.stringify(event)) + '\n');
    else view?.update(event, session.driver.pool.load());
  };
  routeFleet(show);
  try {
    await lastValueFrom(runSearch(session.driver, stop$).pipe(tap(show)), { defaultValue: null });
  } finally {
    routeFleet(observe);
    view?.stop();
    const best = session.driver.store.bestTrials(1)[0];
    if (!flags.json && best !== undefined) {
      process.stdout.write(
        `\nbest: trial ${best.id}, reward ${formatPercent(best.reward)}, hash ${best.hash}\n${renderGenotypeTable(best.genotype)}\n`,
      );
      process.stdout.write(`\nmore: nas-ctl status ${dir}; nas-ctl best ${dir} --top 5\n`);
    }
  }
}

/**
 * After a search that ended before its trial budget (the trials it interrupted are back in the
 * queue; --resume runs them first): one line says how to continue,
 * and a stop by a signal exits with 128 + its number, as a shell reports a job a signal ended.
 */
function endStopped(
  session: SearchSession,
  dir: string,
  reason: NodeJS.Signals | 'time',
  time: string | undefined,
): void {
  const store = session.driver.store;
  const { maxTrials } = session.settings;
  const counts = store.counts();
  const finished = counts.succeeded + counts.failed + counts.cancelled;
  if (maxTrials !== null && finished >= maxTrials) return;
  const cause = reason === 'time' ? `after --time ${time ?? ''}` : `by ${reason}`;
  const interrupted = counts.queued + counts.running;
  process.stderr.write(
    `nas-ctl: search stopped ${cause}: ${finished} of ${maxTrials ?? 'unlimited'} trials finished` +
      (interrupted > 0 ? `, ${interrupted} interrupted (they run again first)` : '') +
      `; continue with: nas-ctl search --resume ${dir}\n`,
  );
  if (reason !== 'time') process.exitCode = signalExitCode(reason);
}

/** `network: 1@48, cifar skeleton`: what every candidate is stacked into (`auto` resolved). */
function networkLine(network: SearchSession['settings']['network']): string {
  return `network: ${formatNetworkSize(network)}, ${network.skeleton} skeleton\n`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
