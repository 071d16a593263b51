/**
 * The warning shown when the runs on the page were trained with different settings (from
 * /api/runs's settingsDifferences, as `nas-ctl compare` finds them: the settings that decide what a
 * reward means, and the budget): their rewards then compare the settings too, not only the
 * strategies.
 */
import { el } from './format.js';

/** Renders `differences` ([{ key, values }], one value per run of `labels`) into `host`. */
export function renderSettingsDifferences(host, differences, labels) {
  if (!differences || differences.length === 0) {
    host.hidden = true;
    host.replaceChildren();
    return;
  }
  host.hidden = false;
  const rows = differences.map(({ key, values }) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, key),
      values.map((v) => el('td', {}, v === '-' ? '(not set)' : v)),
    ),
  );
  host.replaceChildren(
    el(
      'p',
      {},
      el('b', {}, 'These runs were trained with different settings'),
      ` (${differences.length}): their rewards compare these settings as well as the strategies.`,
    ),
    el(
      'table',
      { 'aria-label': 'settings that differ' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'setting'),
          labels.map((l) => el('th', {}, l)),
        ),
      ),
      el('tbody', {}, rows),
    ),
  );
}
