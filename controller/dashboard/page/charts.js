/** The dashboard's charts, drawn by uPlot: rewards by trial, the Pareto view, a trial's epochs. */
import uPlot from '/lib/uplot.js';
import { percent, runColor } from './format.js';

const HEIGHT = 240;
const charts = new Map();

/**
 * Draws `data` in `container` with `options`: updates the chart there when its series are the same
 * (a live update keeps the zoom and the cursor), makes a new one otherwise.
 */
export function draw(container, options, data) {
  const shape = JSON.stringify(options.series.map((s) => s.label ?? ''));
  const old = charts.get(container);
  if (old !== undefined && old.shape === shape && old.plot.root.isConnected) {
    old.plot.setData(data);
    return old.plot;
  }
  old?.plot.destroy();
  container.replaceChildren();
  const width = Math.max(300, container.clientWidth - 4);
  const plot = new uPlot({ width, height: HEIGHT, ...options }, data, container);
  charts.set(container, { plot, shape });
  return plot;
}

window.addEventListener('resize', () => {
  for (const [container, chart] of charts)
    chart.plot.setSize({ width: Math.max(300, container.clientWidth - 4), height: HEIGHT });
});

const dots = (color, label, scale = 'y') => ({
  label,
  scale,
  stroke: color,
  fill: color,
  paths: () => null,
  points: { show: true, size: 6, stroke: color, fill: color },
  value: (_, v) => percent(v),
});

const line = (color, label, extra = {}) => ({
  label,
  stroke: color,
  width: 2,
  spanGaps: true,
  points: { show: false },
  value: (_, v) => percent(v),
  ...extra,
});

/** Tick steps of a count axis (trials, epochs, minibatches): whole numbers only. */
export const COUNT_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5,
];

const percentAxis = { values: (_, ticks) => ticks.map((t) => `${Math.round(t * 1000) / 10}%`) };

/** Each finished trial's reward against its place in finish order, and the best so far, per run. */
export function drawRewards(container, runs) {
  const length = Math.max(0, ...runs.map((r) => r.finished.length));
  const xs = Array.from({ length }, (_, i) => i + 1);
  const series = [{ label: 'trial' }];
  const data = [xs];
  for (const { run, label, finished } of runs) {
    let best = null;
    const rewards = xs.map((_, i) => finished[i]?.rewardIfSucceeded ?? null);
    const bests = xs.map((_, i) => {
      const r = finished[i];
      if (r === undefined) return null;
      if (r.rewardIfSucceeded !== null && (best === null || r.rewardIfSucceeded > best))
        best = r.rewardIfSucceeded;
      return best;
    });
    series.push(
      dots(runColor(run) + '99', `${label} reward`),
      line(runColor(run), `${label} best`),
    );
    data.push(rewards, bests);
  }
  return draw(
    container,
    {
      series,
      axes: [{ label: 'trial (finish order)', incrs: COUNT_STEPS }, percentAxis],
      scales: { x: { time: false } },
    },
    data,
  );
}

/** The Pareto front of (cost, reward) points: each point no cheaper one beats, by cost. */
export function paretoFront(points) {
  const front = [];
  for (const p of [...points].sort((a, b) => a.x - b.x || b.y - a.y)) {
    if (front.length === 0 || p.y > front[front.length - 1].y) front.push(p);
  }
  return front;
}

/** The cost axis's names. */
const COST_LABELS = {
  params: 'parameters (log scale)',
  multAdds: 'mult-adds (log scale)',
  latencyMs: 'latency, ms (log scale)',
};

/**
 * Ticks of a log axis from `min` to `max`: 1, 2 and 5 times each power of ten (1, 2, 3 and 5 when
 * the span is under a decade), so a span inside one decade still gets several labelled ticks.
 */
export function logTicks(min, max) {
  if (!(min > 0) || !(max > min)) return Number.isFinite(min) ? [min] : [];
  const steps = max / min < 10 ? [1, 1.5, 2, 3, 5, 7] : [1, 2, 5];
  const ticks = [];
  for (let p = Math.floor(Math.log10(min)); 10 ** p <= max; p++) {
    for (const m of steps) {
      const v = m * 10 ** p;
      if (v >= min && v <= max) ticks.push(v);
    }
  }
  return ticks.length > 0 ? ticks : [min, max];
}

/** A tick value in three significant digits with k / M: `20k`, `1.5M`, `0.25`. */
export function compact(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  const short = (x) => String(Number(x.toPrecision(3)));
  if (v >= 1e6) return `${short(v / 1e6)}M`;
  if (v >= 1e3) return `${short(v / 1e3)}k`;
  return short(v);
}

/** Reward against a cost (`metric` of each trial), per run, with each run's Pareto front. */
export function drawPareto(container, runs, metric) {
  const perRun = runs.map(({ run, label, finished }) => {
    const points = finished
      .filter((t) => t.rewardIfSucceeded !== null && t[metric] !== null && t[metric] > 0)
      .map((t) => ({ x: t[metric], y: t.rewardIfSucceeded }));
    return { run, label, points, front: new Set(paretoFront(points)) };
  });
  const xs = [...new Set(perRun.flatMap((r) => r.points.map((p) => p.x)))].sort((a, b) => a - b);
  const series = [{ label: metric }];
  const data = [xs];
  for (const { run, label, points, front } of perRun) {
    const at = (set) => {
      const byX = new Map();
      for (const p of set) byX.set(p.x, Math.max(byX.get(p.x) ?? -Infinity, p.y));
      return xs.map((x) => byX.get(x) ?? null);
    };
    series.push(dots(runColor(run) + '99', `${label}`));
    series.push(
      line(runColor(run), `${label} front`, {
        paths: uPlot.paths.stepped({ align: 1 }),
        dash: [6, 4],
        // Rings on the front's members: a front of one point shows too.
        points: { show: true, size: 11, width: 2, stroke: runColor(run), fill: 'transparent' },
      }),
    );
    data.push(at(points), at(front));
  }
  const options = {
    series,
    axes: [
      {
        label: COST_LABELS[metric] ?? metric,
        splits: (_u, _axis, min, max) => logTicks(min, max),
        // uPlot's log axes label only some ticks by default; these few all get a label.
        filter: (_u, ticks) => ticks,
        values: (_u, ticks) => ticks.map(compact),
      },
      percentAxis,
    ],
    scales: {
      x: {
        time: false,
        distr: xs.length > 1 ? 3 : 1,
        // The data's own span, padded: uPlot's log range snaps out to whole decades.
        range: (_u, min, max) => (min > 0 ? [min / 1.15, max * 1.15] : [min - 1, max + 1]),
      },
    },
  };
  return draw(container, options, data);
}

/** A trial's training and validation loss (left axis) and accuracy (right axis) by epoch. */
export function drawEpochs(container, epochs) {
  const pick = (key) => epochs.map((e) => e[key]);
  const loss = (color, label, dash) => ({
    label,
    stroke: color,
    width: 2,
    scale: 'loss',
    dash,
    value: (_, v) => (v === null ? '–' : v.toFixed(3)),
  });
  const acc = (color, label, dash) => ({
    label,
    stroke: color,
    width: 2,
    scale: 'acc',
    dash,
    value: (_, v) => percent(v),
  });
  const options = {
    series: [
      { label: 'epoch' },
      loss('#e8590c', 'train loss', [5, 3]),
      loss('#c92a2a', 'validation loss'),
      acc('#2f6fde', 'train accuracy', [5, 3]),
      acc('#2b8a3e', 'validation accuracy'),
    ],
    scales: { x: { time: false }, acc: { range: [0, 1] } },
    axes: [
      { label: 'epoch', incrs: COUNT_STEPS },
      { scale: 'loss', label: 'loss' },
      { scale: 'acc', side: 1, grid: { show: false }, ...percentAxis },
    ],
  };
  return draw(container, options, [
    pick('epoch'),
    pick('trainLoss'),
    pick('validationLoss'),
    pick('trainAccuracy'),
    pick('validationAccuracy'),
  ]);
}
