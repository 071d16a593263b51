/**
 * Which decisions matter (/api/runs/:run/importance): for each decision of each block of each cell,
 * the mean reward of the succeeded trials that made each choice against the mean of all of them.
 * The decisions whose choices' means lie furthest apart come first. Below the table, parallel
 * coordinates (parallel.js) draw each trial through its choices at the first few of them.
 */
import { el, percent } from './format.js';

/** The most decisions listed per run. */
export const MAX_DECISIONS = 12;

const DECISION_NAMES = {
  inputA: 'input A',
  opA: 'op A',
  inputB: 'input B',
  opB: 'op B',
  combine: 'combine',
};

/** Renders `table` (the importance of run `label`) into `container`. */
export function renderImportance(container, table, label) {
  const head = el(
    'p',
    { class: 'muted' },
    `${label}: ${table.trials} succeeded trials, mean reward ${percent(table.meanReward)}. ` +
      'Each row is one decision of one block; each choice shows the mean reward of the trials that ' +
      `made it, its difference from the mean, and how many trials made it. Spread: the highest less ` +
      `the lowest choice mean, over choices made by at least ${table.minTrials} trials. A per-decision ` +
      'view: it ignores how decisions interact, and trials a strategy sampled more often weigh more.',
  );
  if (table.trials < 2) {
    container.replaceChildren(head, el('p', { class: 'muted' }, 'too few succeeded trials yet'));
    return;
  }
  const rows = table.decisions
    .slice(0, MAX_DECISIONS)
    .map((d) =>
      el(
        'tr',
        {},
        el(
          'th',
          { scope: 'row' },
          `${d.cell} · block ${d.block + 1} · ${DECISION_NAMES[d.decision]}`,
        ),
        el('td', { class: 'spread' }, `${(d.spread * 100).toFixed(1)} pts`),
        el('td', {}, d.choices.map(choice)),
      ),
    );
  container.replaceChildren(
    head,
    el(
      'table',
      { class: 'importance', 'aria-label': `decision importance of ${label}` },
      el(
        'thead',
        {},
        el('tr', {}, el('th', {}, 'decision'), el('th', {}, 'spread'), el('th', {}, 'choices')),
      ),
      el('tbody', {}, rows),
    ),
    table.decisions.length > MAX_DECISIONS
      ? el('p', { class: 'muted' }, `${MAX_DECISIONS} of ${table.decisions.length} decisions shown`)
      : null,
  );
}

function choice(c) {
  const delta = `${c.delta >= 0 ? '+' : '−'}${Math.abs(c.delta * 100).toFixed(1)}`;
  return el(
    'span',
    {
      class: `choice ${c.delta > 0 ? 'up' : c.delta < 0 ? 'down' : ''}`,
      title: `${c.trials} trials`,
    },
    `${c.choice} ${percent(c.meanReward)} (${delta}, n=${c.trials})`,
  );
}
