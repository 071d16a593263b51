/**
 * The dashboard page: loads every run's overview and trials, then follows the server's event
 * stream, merging each change (a finished trial never changes again) and redrawing at most ten
 * times a second. The address's `#trial=<id>` (with `&run=<run>` past the first run) opens that
 * trial, and opening a trial writes it there, so a trial's link can be shared.
 */
import { getJson, listen } from './api.js';
import { setUpCellDialog } from './cells.js';
import { drawPareto, drawRewards } from './charts.js';
import { drawCurves } from './curves-chart.js';
import { el } from './format.js';
import { renderImportance } from './importance.js';
import { parseTrialLink, trialLink } from './links.js';
import { drawParallel } from './parallel.js';
import { renderOverview, tickClocks } from './overview.js';
import { renderSettingsDifferences } from './settings-differences.js';
import { drawSignal } from './signal-chart.js';
import { createTrialTable } from './trial-table.js';
import { closeTrial, openTrial } from './trial-view.js';

/** run -> { overview, receivedAt, trials: Map(id -> trial), signalAt, curves, importance } */
const runs = new Map();
let pending = null;
let extrasTimer = null;
let extrasAt = 0;

const table = createTrialTable(allRows, (t) => show(t.run, t.id));

function allRows() {
  return [...runs.values()].flatMap(({ overview, trials }) =>
    [...trials.values()].map((t) => ({
      ...t,
      run: overview.run,
      label: overview.label,
      runEpochs: overview.epochs,
    })),
  );
}

function show(run, id) {
  const link = trialLink(run, id);
  if (window.location.hash !== link) window.history.replaceState(null, '', link);
  openTrial(run, id, runs.get(run)?.overview.label ?? `run ${run}`).catch(report);
  schedule();
}

function merge(entry, trials) {
  for (const t of trials) {
    const old = entry.trials.get(t.id);
    if (old !== undefined && old.finishOrder !== null) continue;
    entry.trials.set(t.id, t);
  }
}

/** Loads every run's overview and trials (at the start, and after a reconnection may have missed changes). */
async function loadRuns() {
  const { runs: overviews, settingsDifferences } = await getJson('/api/runs');
  for (const overview of overviews) {
    let entry = runs.get(overview.run);
    if (entry === undefined) {
      entry = { overview, receivedAt: Date.now(), trials: new Map(), signalAt: 0 };
      runs.set(overview.run, entry);
    }
    entry.overview = overview;
    entry.receivedAt = Date.now();
    merge(entry, (await getJson(`/api/runs/${overview.run}/trials`)).trials);
    refreshSignal(entry);
  }
  renderSettingsDifferences(
    document.getElementById('settings-differences'),
    settingsDifferences,
    overviews.map((o) => o.label),
  );
  refreshExtras();
  openLinkedTrial();
  schedule();
}

/** Opens the trial the address names, if it is not the one shown. */
function openLinkedTrial() {
  const wanted = parseTrialLink(window.location.hash);
  if (wanted === null || !runs.has(wanted.run)) return;
  const view = document.getElementById('trial-view').dataset;
  if (view.run === String(wanted.run) && view.trial === String(wanted.id)) return;
  show(wanted.run, wanted.id);
}

function onChange(change) {
  const entry = runs.get(change.run);
  if (entry === undefined) {
    loadRuns().catch(report);
    return;
  }
  entry.overview = change.overview;
  entry.receivedAt = Date.now();
  merge(entry, change.trials);
  if (change.signalChanged) refreshSignal(entry);
  const view = document.getElementById('trial-view').dataset;
  if (view.run === String(change.run) && change.trials.some((t) => String(t.id) === view.trial))
    openTrial(change.run, Number(view.trial), entry.overview.label).catch(report);
  refreshExtras();
  schedule();
}

/** Fetches a run's strategy signal again, at most once a second. */
function refreshSignal(entry) {
  const wait = entry.signalAt + 1000 - Date.now();
  if (entry.signalTimer) return;
  entry.signalTimer = setTimeout(
    async () => {
      entry.signalTimer = null;
      entry.signalAt = Date.now();
      const signal = await getJson(`/api/runs/${entry.overview.run}/signal`).catch(report);
      if (signal) drawSignal(signalFigure(entry.overview.run), signal, entry.overview);
    },
    Math.max(0, wait),
  );
}

/** Fetches every run's curves and decision importance again, at most once in two seconds. */
function refreshExtras() {
  extrasTimer ??= setTimeout(
    async () => {
      extrasAt = Date.now();
      for (const entry of runs.values()) {
        const run = entry.overview.run;
        entry.curves = (await getJson(`/api/runs/${run}/curves`).catch(report))?.curves;
        entry.importance = await getJson(`/api/runs/${run}/importance`).catch(report);
      }
      drawExtras();
      extrasTimer = null;
    },
    Math.max(0, extrasAt + 2000 - Date.now()),
  );
}

function drawExtras() {
  const host = document.getElementById('importance');
  const blocks = [...runs.values()]
    .filter((entry) => entry.importance)
    .map((entry) => {
      const table = el('div');
      const parallel = el('div', { class: 'parallel-host', 'data-run': entry.overview.run });
      renderImportance(table, entry.importance, entry.overview.label);
      return el('div', { class: 'importance-run' }, table, parallel);
    });
  host.replaceChildren(...blocks);
  // Drawn once in the page, so each knows its width.
  for (const entry of runs.values()) {
    const parallel = host.querySelector(`.parallel-host[data-run="${entry.overview.run}"]`);
    if (parallel !== null) drawParallel(parallel, entry.importance, entry.overview.run, show);
  }
  drawCurves(
    document.getElementById('chart-curves'),
    [...runs.values()].map(({ overview, curves }) => ({
      run: overview.run,
      label: overview.label,
      curves: curves ?? [],
      best: overview.best?.trialId ?? null,
    })),
  );
}

function signalFigure(run) {
  let figure = document.querySelector(`figure[data-signal="${run}"]`);
  if (figure === null) {
    figure = el(
      'figure',
      { 'data-signal': run },
      el('figcaption', {}, 'Strategy signal'),
      el('div', { class: 'chart' }),
    );
    document.querySelector('.charts').append(figure);
  }
  return figure;
}

function schedule() {
  pending ??= setTimeout(render, 100);
}

function render() {
  pending = null;
  const perRun = [...runs.values()].map(({ overview, trials }) => ({
    run: overview.run,
    label: overview.label,
    finished: [...trials.values()]
      .filter((t) => t.finishOrder !== null)
      .sort((a, b) => a.finishOrder - b.finishOrder)
      .map((t) => ({ ...t, rewardIfSucceeded: t.status === 'succeeded' ? t.reward : null })),
  }));
  for (const { overview, receivedAt } of runs.values()) renderOverview(overview, receivedAt, show);
  drawRewards(document.getElementById('chart-rewards'), perRun);
  drawPareto(
    document.getElementById('chart-pareto'),
    perRun,
    document.getElementById('pareto-x').value,
  );
  table.render();
}

function report(err) {
  const status = document.getElementById('connection');
  status.textContent = String(err.message ?? err);
  status.className = 'pill down';
}

/** The connection pill says whether the page receives updates; each run's card says if it runs. */
function onStatus(connected) {
  const status = document.getElementById('connection');
  status.textContent = connected ? 'connected' : 'reconnecting…';
  status.title = connected
    ? 'the page receives the server’s updates; each run’s card says whether a search runs'
    : 'the page lost the server; the browser reconnects by itself';
  status.className = `pill ${connected ? 'connected' : 'down'}`;
  if (connected) loadRuns().catch(report);
}

document.getElementById('pareto-x').addEventListener('change', schedule);
document.getElementById('trial-close').addEventListener('click', () => {
  closeTrial();
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  schedule();
});
window.addEventListener('hashchange', openLinkedTrial);
for (const dialog of document.querySelectorAll('dialog.log'))
  dialog.querySelector('button').addEventListener('click', () => dialog.close());
setUpCellDialog();
setInterval(() => tickClocks(Date.now()), 1000);
const onRuns = ({ runs: n }) => {
  if (n > runs.size) loadRuns().catch(report);
};
listen({ onChange, onRuns, onStatus });
