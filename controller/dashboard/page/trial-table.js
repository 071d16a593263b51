/** The trial table: sortable by any column, filtered by text and status, one row per trial. */
import { count, el, fixed, percent, progressText } from './format.js';

/** The most rows drawn at once; the filter and the sort pick which. */
const MAX_ROWS = 500;

const COLUMNS = {
  run: (t) => t.label,
  id: (t) => t.id,
  status: (t) =>
    t.status === 'running'
      ? `running · ${progressText(t, t.runEpochs) ?? 'first epoch'}`
      : t.status,
  reward: (t) => percent(t.reward),
  params: (t) => count(t.params),
  multAdds: (t) => count(t.multAdds),
  latencyMs: (t) => fixed(t.latencyMs, 2),
  seconds: (t) => fixed(t.seconds, 1),
  trainer: (t) => t.trainer ?? '–',
  hash: (t) => t.hash,
};

/** A table over `rows()` (each trial with its run, label and the run's epochs per trial); `open(trial)` when a row is clicked. */
export function createTrialTable(rows, open) {
  const table = document.getElementById('trial-table');
  const filter = document.getElementById('filter');
  const status = document.getElementById('status-filter');
  const state = { key: 'id', dir: -1 };
  const render = () => draw(table, select(rows(), filter.value, status.value, state), open);
  table.querySelector('thead').addEventListener('click', (event) => {
    const key = event.target.closest('th')?.dataset.key;
    if (key === undefined) return;
    state.dir = state.key === key ? -state.dir : key === 'id' || key === 'reward' ? -1 : 1;
    state.key = key;
    for (const th of table.querySelectorAll('th'))
      th.setAttribute(
        'aria-sort',
        th.dataset.key === key ? (state.dir > 0 ? 'ascending' : 'descending') : 'none',
      );
    render();
  });
  filter.addEventListener('input', render);
  status.addEventListener('change', render);
  table.querySelector(`th[data-key="id"]`).setAttribute('aria-sort', 'descending');
  return { render };
}

function select(all, text, status, { key, dir }) {
  const needle = text.trim().toLowerCase();
  const kept = all.filter(
    (t) =>
      (status === '' || t.status === status) &&
      (needle === '' ||
        [t.id, t.hash, t.trainer, t.reason, t.label, t.status].some((v) =>
          String(v ?? '')
            .toLowerCase()
            .includes(needle),
        )),
  );
  const value = (t) => (key === 'run' ? t.run : t[key]);
  kept.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return a.run - b.run || a.id - b.id;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * dir;
  });
  return { kept, total: all.length };
}

function draw(table, { kept, total }, open) {
  const shown = kept.slice(0, MAX_ROWS);
  const selected = document.getElementById('trial-view').dataset;
  const rows = shown.map((t) => {
    const tr = el(
      'tr',
      {
        'data-run': t.run,
        'data-trial': t.id,
        class:
          selected.trial === String(t.id) && selected.run === String(t.run) ? 'selected' : null,
      },
      ...Object.entries(COLUMNS).map(([key, show]) =>
        el('td', key === 'status' ? { class: `status-${t.status}` } : {}, show(t)),
      ),
    );
    tr.addEventListener('click', () => open(t));
    return tr;
  });
  table.querySelector('tbody').replaceChildren(...rows);
  document.getElementById('table-note').textContent =
    `${kept.length} of ${total} trials` +
    (kept.length > MAX_ROWS ? `, first ${MAX_ROWS} shown` : '');
}
