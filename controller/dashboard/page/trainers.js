/**
 * The trainers of a run: state (busy / idle / down / draining, or `seen` in the stored trials),
 * backend and device, training throughput, trials finished and failed, the latest failure's reason,
 * and links to the trainers' log files in the run directory (shown in a dialog).
 */
import { getJson } from './api.js';
import { count, el, fixed } from './format.js';

/** The trainers table of `overview`, with the run's trainer logs below it. */
export function trainerTable(overview) {
  const trainers = overview.trainers;
  const logs = el('div', { class: 'logs', 'data-run': overview.run });
  listLogs(overview.run, logs);
  if (trainers.length === 0)
    return el('div', {}, el('p', { class: 'muted' }, 'no trainer yet'), logs);
  const head = [
    'trainer',
    'backend',
    'device',
    'state',
    'images/s',
    'finished',
    'failed',
    'last error',
  ];
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
      el('td', {}, fixed(t.imagesPerSecond, 0)),
      el('td', {}, count(t.finished)),
      el('td', { class: t.failed > 0 ? 'state-down' : null }, count(t.failed)),
      el('td', { class: 'last-error', title: t.lastError ?? '' }, t.lastError ?? '–'),
    );
  });
  return el(
    'div',
    {},
    el(
      'table',
      { class: 'trainers', 'aria-label': 'trainers' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          head.map((h) => el('th', {}, h)),
        ),
      ),
      el('tbody', {}, rows),
    ),
    logs,
  );
}

const known = new Map();

/** Fills `host` with a link per log file of run `run` (listed once per page load). */
async function listLogs(run, host) {
  if (!known.has(run))
    known.set(
      run,
      getJson(`/api/runs/${run}/logs`)
        .then((r) => r.logs)
        .catch(() => []),
    );
  const names = await known.get(run);
  if (names.length === 0) return;
  const links = names.map((name) => {
    const link = el('a', { href: '#', 'data-log': name }, name);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      showLog(run, name).catch((err) => showText(name, String(err.message ?? err)));
    });
    return link;
  });
  host.replaceChildren('trainer logs: ', ...links.flatMap((l, i) => (i === 0 ? [l] : [' · ', l])));
}

/** Opens the log dialog on the end of log `name` of run `run`. */
async function showLog(run, name) {
  const tail = await getJson(`/api/runs/${run}/logs/${encodeURIComponent(name)}`);
  const part = tail.truncated
    ? ` (last ${count(tail.text.length)} of ${count(tail.bytes)} bytes)`
    : '';
  showText(`${name}${part}`, tail.text);
}

/** Opens the log dialog on `text` under `title`, scrolled to its end. */
function showText(title, text) {
  const dialog = document.getElementById('log-dialog');
  dialog.querySelector('h2').textContent = title;
  const pre = dialog.querySelector('pre');
  pre.textContent = text;
  if (!dialog.open) dialog.showModal();
  pre.scrollTop = pre.scrollHeight;
}
