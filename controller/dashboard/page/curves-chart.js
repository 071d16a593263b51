/**
 * Every trial's learning curve together: validation accuracy by epoch, one thin line per trial in
 * its run's colour, the run's best trial drawn thick. Shows whether the curves still climb at the
 * last epoch (more epochs would change the ranking) or have flattened.
 */
import { COUNT_STEPS, draw } from './charts.js';
import { el, percent, runColor } from './format.js';

/** The most curves drawn per run: the latest trials' (the server sends up to 1000). */
export const MAX_DRAWN = 300;

/**
 * Draws `runs` ([{ run, label, curves, best }], `curves` from /api/runs/:run/curves, `best` the
 * best trial's id or null) into `container`.
 */
export function drawCurves(container, runs) {
  const shown = runs.map((r) => ({ ...r, curves: r.curves.slice(-MAX_DRAWN) }));
  const xs = [...new Set(shown.flatMap((r) => r.curves.flatMap((c) => c.epochs)))].sort(
    (a, b) => a - b,
  );
  if (xs.length === 0) {
    container.replaceChildren(el('p', { class: 'muted' }, 'no epoch finished yet'));
    return null;
  }
  const series = [{ label: 'epoch' }];
  const data = [xs];
  for (const { run, label, curves, best } of shown) {
    for (const curve of curves) {
      const isBest = curve.trial === best;
      const byEpoch = new Map(curve.epochs.map((e, i) => [e, curve.accuracy[i]]));
      series.push({
        label: `${label} trial ${curve.trial}${isBest ? ' (best)' : ''}`,
        stroke: isBest ? runColor(run) : runColor(run) + '55',
        width: isBest ? 3 : 1,
        spanGaps: true,
        points: { show: false },
        value: (_, v) => percent(v),
      });
      data.push(xs.map((x) => byEpoch.get(x) ?? null));
    }
  }
  const options = {
    series,
    legend: { show: false },
    cursor: { focus: { prox: 16 } },
    focus: { alpha: 0.3 },
    scales: { x: { time: false } },
    axes: [
      { label: 'epoch', incrs: COUNT_STEPS },
      { values: (_, t) => t.map((v) => `${Math.round(v * 1000) / 10}%`) },
    ],
  };
  // How many curves are drawn (the legend, which would list them, is hidden).
  container.dataset.curves = String(series.length - 1);
  return draw(container, options, data);
}
