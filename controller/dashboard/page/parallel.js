/**
 * Parallel coordinates of one run's succeeded trials (SVG): an axis per most important decision
 * (its choices top to bottom by mean reward, as the importance table orders them) and one for the
 * reward; each trial is a line through its choices, darker for a higher reward. Hovering a line
 * names its trial; clicking it opens the trial.
 */
import { percent } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
const HEIGHT = 280;
const MARGIN = { top: 34, right: 60, bottom: 14, left: 60 };
const NAMES = {
  inputA: 'input A',
  opA: 'op A',
  inputB: 'input B',
  opB: 'op B',
  combine: 'combine',
};

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  for (const child of children)
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** Draws `answer` (/api/runs/:run/importance) of run `run` into `container`; `open(run, id)`. */
export function drawParallel(container, answer, run, open) {
  if (answer.axes === 0 || answer.rows.length < 2) {
    container.replaceChildren();
    return;
  }
  const decisions = answer.decisions.slice(0, answer.axes);
  const width = Math.max(600, container.clientWidth);
  const count = decisions.length + 1;
  const step = (width - MARGIN.left - MARGIN.right) / (count - 1);
  const x = (i) => MARGIN.left + i * step;
  const span = HEIGHT - MARGIN.top - MARGIN.bottom;
  const categoryY = decisions.map((d) => {
    const n = d.choices.length;
    return new Map(
      d.choices.map((c, i) => [c.choice, MARGIN.top + (n === 1 ? span / 2 : (i * span) / (n - 1))]),
    );
  });
  const rewards = answer.rows.map((r) => r.reward);
  const low = Math.min(...rewards);
  const high = Math.max(...rewards);
  const share = (r) => (high === low ? 1 : (r - low) / (high - low));
  const rewardY = (r) => MARGIN.top + (1 - share(r)) * span;
  const root = svg('svg', { width, height: HEIGHT, class: 'parallel', role: 'img' });
  root.setAttribute(
    'aria-label',
    'parallel coordinates of the most important decisions and the reward',
  );
  const sorted = [...answer.rows].sort((a, b) => a.reward - b.reward);
  for (const row of sorted) {
    const points = row.choices.map((c, i) => `${x(i)},${categoryY[i].get(c) ?? MARGIN.top}`);
    points.push(`${x(count - 1)},${rewardY(row.reward)}`);
    const t = share(row.reward);
    const line = svg(
      'polyline',
      {
        points: points.join(' '),
        stroke: `hsl(220 70% ${78 - 50 * t}%)`,
        'stroke-width': 1.5,
        fill: 'none',
        'data-trial': row.trial,
      },
      svg('title', {}, `trial ${row.trial}: ${percent(row.reward)}`),
    );
    line.addEventListener('click', () => open(run, row.trial));
    root.append(line);
  }
  decisions.forEach((d, i) => {
    root.append(axis(x(i), `${d.cell} ${d.block + 1} ${NAMES[d.decision]}`));
    for (const [choice, y] of categoryY[i]) root.append(label(x(i), y, choice));
  });
  root.append(axis(x(count - 1), 'reward'));
  root.append(
    label(x(count - 1), MARGIN.top, percent(high)),
    label(x(count - 1), HEIGHT - MARGIN.bottom, percent(low)),
  );
  container.replaceChildren(root);
}

function axis(x, name) {
  return svg(
    'g',
    {},
    svg('line', { x1: x, x2: x, y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom, stroke: '#5b6474' }),
    svg('text', { x, y: 14, 'text-anchor': 'middle', class: 'axis-name' }, name),
  );
}

function label(x, y, text) {
  return svg('text', { x: x + 4, y: y + 4, class: 'choice-label' }, text);
}
