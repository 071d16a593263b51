/** One card per run: its trials, time, ETA, settings, downloads, best cell and trainers. */
import { drawCells } from './cells.js';
import { duration, el, percent, runColor } from './format.js';
import { runSettings } from './run-settings.js';
import { trainerTable } from './trainers.js';

/** Renders or updates the card of `overview` (received at `receivedAt`); `open(run, id)` opens a trial. */
export function renderOverview(overview, receivedAt, open) {
  const host = document.getElementById('overview');
  let card = host.querySelector(`[data-run="${overview.run}"]`);
  if (card === null) {
    card = el('article', {
      class: 'run-card',
      'data-run': overview.run,
      style: `--run-color: ${runColor(overview.run)}`,
    });
    host.append(card);
  }
  card.dataset.received = String(receivedAt);
  card.dataset.elapsed = String(overview.elapsedMs ?? '');
  card.dataset.eta = String(overview.etaMs ?? '');
  card.dataset.live = String(overview.live);
  const c = overview.counts;
  const budget = overview.maxTrials === null ? 'unlimited' : overview.maxTrials;
  const head = el(
    'div',
    { class: 'trial-head' },
    el('h2', { title: overview.dir }, `${overview.label} · ${overview.strategy}`),
    el(
      'span',
      {
        class: `pill run-state ${overview.live ? 'live' : ''}`,
        title: overview.live ? 'a search is running on this run' : 'no search is running on it',
      },
      overview.live ? 'searching' : finishedAll(overview) ? 'finished' : 'stopped',
    ),
  );
  const stats = el(
    'div',
    { class: 'stats' },
    stat(`${c.finished} / ${budget}`, 'trials done'),
    stat(c.succeeded, 'succeeded'),
    stat(c.failed + c.cancelled, 'failed / cancelled'),
    stat(c.running, 'running'),
    stat(c.queued, 'queued'),
    stat(duration(overview.elapsedMs), 'elapsed', 'elapsed'),
    stat(etaText(overview), 'ETA', overview.live ? 'eta' : undefined),
    stat(percent(overview.best?.reward ?? null), 'best reward'),
  );
  const keep = card.querySelector('.best-cell');
  const best = bestBlock(overview, keep, open);
  card.replaceChildren(
    head,
    el(
      'div',
      { class: 'muted' },
      `seed ${overview.seed} · space ${overview.space} · ${overview.dir}`,
    ),
    stats,
    downloads(overview),
    runSettings(overview),
    best,
    trainerTable(overview),
  );
}

function finishedAll(overview) {
  return overview.maxTrials !== null && overview.counts.finished >= overview.maxTrials;
}

/** The ETA as the search's terminal view computes it; a stopped run says why there is none. */
function etaText(overview) {
  if (overview.live) return duration(overview.etaMs);
  return finishedAll(overview) ? 'done' : 'stopped';
}

/** Links to the run's files: its trials as CSV, the best genotype, a saved model. */
function downloads(overview) {
  const base = `/api/runs/${overview.run}`;
  const link = (href, text) => el('a', { href, download: '' }, text);
  return el(
    'div',
    { class: 'downloads' },
    'download: ',
    link(`${base}/trials.csv`, 'trials CSV'),
    overview.best === null
      ? null
      : [
          ' · ',
          link(`${base}/trials/${overview.best.trialId}/genotype.json`, 'best genotype JSON'),
        ],
    overview.model
      ? [
          ' · ',
          link(`${base}/model.json`, 'model.json'),
          ' + ',
          link(`${base}/weights.bin`, 'weights.bin'),
        ]
      : null,
  );
}

/** Moves the elapsed and ETA figures of live runs on with the clock. */
export function tickClocks(now) {
  for (const card of document.querySelectorAll('.run-card[data-live="true"]')) {
    const since = now - Number(card.dataset.received);
    const elapsed = card.dataset.elapsed === '' ? null : Number(card.dataset.elapsed) + since;
    const eta = card.dataset.eta === '' ? null : Math.max(0, Number(card.dataset.eta) - since);
    const set = (name, value) => {
      const node = card.querySelector(`[data-clock="${name}"]`);
      if (node !== null) node.textContent = duration(value);
    };
    set('elapsed', elapsed);
    set('eta', eta);
  }
}

function stat(value, label, clock) {
  return el(
    'div',
    { class: 'stat' },
    el('b', clock ? { 'data-clock': clock } : {}, value),
    el('span', {}, label),
  );
}

function bestBlock(overview, keep, open) {
  const best = overview.best;
  if (best === null) return el('div', { class: 'best-cell muted' }, 'no succeeded trial yet');
  if (keep !== null && keep.dataset.trial === String(best.trialId)) return keep;
  const link = el('a', { href: '#' }, `trial ${best.trialId}`);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    open(overview.run, best.trialId);
  });
  const figure = el('div', { class: 'cells' });
  const block = el(
    'div',
    { class: 'best-cell', 'data-trial': best.trialId },
    el(
      'div',
      {},
      `best cell: ${percent(best.reward)}, `,
      link,
      `, hash ${best.hash} `,
      el('span', { class: 'muted' }, '(click a cell to enlarge)'),
    ),
    figure,
  );
  drawCells(figure, best.cells, `${overview.label} · best, trial ${best.trialId}`).catch((err) =>
    figure.replaceChildren(String(err)),
  );
  return block;
}
