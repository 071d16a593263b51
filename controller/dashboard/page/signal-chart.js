/**
 * The strategy's learning signal, drawn by its `kind`: the RL controller's minibatches, evolution's
 * population, or why there is no chart.
 */
import { COUNT_STEPS, draw } from './charts.js';
import { el, percent } from './format.js';

/**
 * Draws `signal` (from /api/runs/:run/signal) of the run of `overview` into `figure`; the overview
 * says how many results the run has and whether a search still runs, for the text of an empty chart.
 */
export function drawSignal(figure, signal, overview) {
  const label = overview.label;
  const caption = () => figure.querySelector('figcaption');
  const container = () => figure.querySelector('.chart');
  const parts = { caption, container };
  if (signal.kind === 'rl') return drawRl(parts, signal, overview);
  if (signal.kind === 'evolution') return drawEvolution(parts, signal, label);
  // `none`, or a strategy's signal this page has no chart for (yet): say so rather than draw nothing.
  const why = signal.kind === 'none' ? signal.why : `no chart for the ${signal.kind} signal yet`;
  caption().textContent = `Strategy signal (${label})`;
  container().replaceChildren(el('p', { class: 'muted' }, why));
  return null;
}

function drawRl({ caption, container }, signal, overview) {
  caption().textContent = `RL controller (${overview.label}): each minibatch of ${signal.batchSize}`;
  const points = signal.points;
  if (points.length === 0) return waiting(container(), noBatchText(signal.batchSize, overview));
  const pick = (key) => points.map((p) => p[key]);
  const options = {
    series: [
      { label: 'minibatch' },
      { label: 'mean reward', stroke: '#2f6fde', width: 2, value: (_, v) => fixed3(v) },
      { label: 'baseline', stroke: '#2b8a3e', width: 2, dash: [6, 4], value: (_, v) => fixed3(v) },
      {
        label: 'entropy (nats)',
        stroke: '#e8590c',
        width: 2,
        scale: 'h',
        value: (_, v) => fixed3(v),
      },
    ],
    scales: { x: { time: false } },
    axes: [
      { label: 'minibatch', incrs: COUNT_STEPS },
      { label: 'reward' },
      { scale: 'h', side: 1, grid: { show: false }, label: 'entropy' },
    ],
  };
  return draw(container(), options, [
    pick('batch'),
    pick('meanReward'),
    pick('baseline'),
    pick('entropy'),
  ]);
}

function drawEvolution({ caption, container }, signal, label) {
  caption().textContent = `Evolution (${label}): rewards of the population (up to ${signal.population})`;
  const points = signal.points;
  if (points.length === 0) return waiting(container(), 'no trained member yet');
  const pick = (key) => points.map((p) => p[key]);
  const band = (key, text, color, dash) => ({
    label: text,
    stroke: color,
    width: key === 'median' ? 2 : 1,
    dash,
    value: (_, v) => percent(v),
  });
  const options = {
    series: [
      { label: 'results told' },
      band('max', 'max', '#2b8a3e', [4, 3]),
      band('q3', 'upper quartile', '#74b816'),
      band('median', 'median', '#2f6fde'),
      band('q1', 'lower quartile', '#f59f00'),
      band('min', 'min', '#c92a2a', [4, 3]),
    ],
    scales: { x: { time: false } },
    axes: [
      { label: 'results told', incrs: COUNT_STEPS },
      { values: (_, t) => t.map((v) => `${Math.round(v * 1000) / 10}%`) },
    ],
  };
  return draw(container(), options, [
    pick('told'),
    pick('max'),
    pick('q3'),
    pick('median'),
    pick('q1'),
    pick('min'),
  ]);
}

/**
 * Why an RL chart is empty: the controller updates once per minibatch of `batch` results, so a run
 * with fewer results has no update to chart, whether it still runs or stopped short of one.
 */
export function noBatchText(batch, overview) {
  const done = overview.counts.finished;
  const of = `${done} result${done === 1 ? '' : 's'}`;
  if (overview.live)
    return `The controller learns once per minibatch of ${batch} results: ${of} so far, ${batch - (done % batch)} to go before its first update.`;
  return `This run stopped after ${of}, fewer than one minibatch of ${batch}: its controller never updated, so there is no learning signal to chart.`;
}

function waiting(container, text) {
  container.replaceChildren(el('p', { class: 'muted' }, text));
  return null;
}

function fixed3(v) {
  return v === null || v === undefined ? '–' : v.toFixed(3);
}
