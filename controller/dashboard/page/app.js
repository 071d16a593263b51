/**
 * The dashboard page: loads every run's overview and trials, then follows the server's event
 * stream, merging each change (a finished trial never changes again) and redrawing at most ten
 * times a second.
 */
import { getJson, listen } from './api.js';
import { drawPareto, drawRewards } from './charts.js';
import { el } from './format.js';
import { renderOverview, tickClocks } from './overview.js';
import { drawSignal } from './signal-chart.js';
import { createTrialTable } from './trial-table.js';
import { closeTrial, openTrial } from './trial-view.js';

/** run -> { overview, receivedAt, trials: Map(id -> trial), signalAt } */
const runs = new Map();
let pending = null;

const table = createTrialTable(allRows, (t) => show(t.run, t.id));

function allRows() {
  return [...runs.values()].flatMap(({ overview, trials }) =>
    [...trials.values()].map((t) => ({ ...t, run: overview.run, label: overview.label })),
  );
}

function show(run, id) {
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
  const { runs: overviews } = await getJson('/api/runs');
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
  schedule();
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
    show(change.run, Number(view.trial));
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
      if (signal) drawSignal(signalFigure(entry.overview.run), signal, entry.overview.label);
    },
    Math.max(0, wait),
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

function onStatus(connected) {
  const status = document.getElementById('connection');
  status.textContent = connected ? 'live' : 'reconnecting…';
  status.className = `pill ${connected ? 'live' : 'down'}`;
  if (connected) loadRuns().catch(report);
}

document.getElementById('pareto-x').addEventListener('change', schedule);
document.getElementById('trial-close').addEventListener('click', () => {
  closeTrial();
  schedule();
});
setInterval(() => tickClocks(Date.now()), 1000);
const onRuns = ({ runs: n }) => {
  if (n > runs.size) loadRuns().catch(report);
};
listen({ onChange, onRuns, onStatus });
