/** A run's stored search settings, folded under the run's card: what its trials were trained with. */
import { el } from './format.js';

/** The settings of `overview`'s run as a folded list of `key: value` lines, the main ones first. */
export function runSettings(overview) {
  const flat = flatten(overview.settings, '');
  const summary = ['dataset', 'training.epochs', 'network', 'maxTrials']
    .map((key) => flat.find(([k]) => k === key || k.startsWith(`${key}.`)))
    .filter((entry) => entry !== undefined);
  const brief = [
    overview.epochs === null ? null : `${overview.epochs} epochs per trial`,
    summary.find(([k]) => k.startsWith('dataset'))?.[1],
  ].filter((x) => x !== null && x !== undefined);
  const rows = flat.map(([key, value]) =>
    el('tr', {}, el('th', { scope: 'row' }, key), el('td', {}, value)),
  );
  return el(
    'details',
    { class: 'settings' },
    el(
      'summary',
      {},
      `run settings (${flat.length})`,
      brief.length ? `: ${brief.join(' · ')}` : '',
    ),
    el('table', { 'aria-label': 'run settings' }, el('tbody', {}, rows)),
  );
}

/** The leaves of a settings object as [dotted key, text] pairs (arrays and strings as JSON). */
export function flatten(value, prefix) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([k, v]) =>
      flatten(v, prefix === '' ? k : `${prefix}.${k}`),
    );
  return prefix === '' ? [] : [[prefix, typeof value === 'string' ? value : JSON.stringify(value)]];
}
