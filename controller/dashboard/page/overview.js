/** One card per run: its trials, time, ETA, best cell and trainers. */
import { count, duration, el, percent, runColor } from './format.js';
import { drawCells } from './trial-view.js';

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
      { class: `pill ${overview.live ? 'live' : ''}` },
      overview.live ? 'searching' : 'stopped',
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
    stat(duration(overview.etaMs), 'ETA', 'eta'),
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
    best,
    trainerTable(overview.trainers),
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
  const figure = el('div', { class: 'cell-svg' });
  const block = el(
    'div',
    { class: 'best-cell', 'data-trial': best.trialId },
    el('div', {}, `best cell: ${percent(best.reward)}, `, link, `, hash ${best.hash}`),
    figure,
  );
  drawCells(figure, best.dot).catch((err) => figure.replaceChildren(String(err)));
  return block;
}

function trainerTable(trainers) {
  if (trainers.length === 0) return el('p', { class: 'muted' }, 'no trainer yet');
  const rows = trainers.map((t) => {
    const state =
      t.state === 'busy' && t.capacity !== null ? `busy ${t.running}/${t.capacity}` : t.state;
    return el(
      'tr',
      {},
      el('td', {}, t.address),
      el('td', {}, t.backend ?? '–'),
      el('td', { class: 'muted' }, t.device ?? '–'),
      el('td', { class: `state-${t.state}` }, state),
      el('td', {}, `${count(t.finished)} finished`),
    );
  });
  return el('table', { class: 'trainers', 'aria-label': 'trainers' }, el('tbody', {}, rows));
}
