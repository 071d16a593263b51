/**
 * `nas-ctl compare`: several runs' best-so-far curves in one self-contained SVG, written by hand
 * (the NASNet paper's RL-vs-random-search figure). One `<path>` per run, drawn as a step function:
 * the best reward holds until a trial beats it.
 */
import { printable } from '../../shared/printable.ts';
import { niceAxis, type Axis } from './axis-ticks.ts';
import type { SearchCurve } from './best-so-far.ts';

/** Line colours, in legend order (Tableau 10); runs beyond ten reuse them. */
export const CURVE_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

const WIDTH = 760;
const PLOT = { left: 80, top: 50, width: 650, height: 340 } as const;
const LEGEND_ROW = 20;

/** Where data values land in the plot area. */
interface Frame {
  readonly x: Axis;
  readonly y: Axis;
}

/** The chart of `curves` as an SVG document. */
export function renderCompareSvg(curves: readonly SearchCurve[], title: string): string {
  const frame = chartFrame(curves);
  const legendTop = BOTTOM + 60;
  const height = legendTop + LEGEND_ROW * curves.length + 10;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" ` +
      `viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `  <title>${xml(title)}</title>`,
    `  <rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `  <text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="16">${xml(title)}</text>`,
    ...axes(frame),
    '  <g fill="none" stroke-width="2" stroke-linejoin="round">',
    ...curves.flatMap((c, i) => curvePath(c, color(i), frame)),
    '  </g>',
    ...legend(curves, legendTop),
    '</svg>',
  ];
  return lines.join('\n') + '\n';
}

function chartFrame(curves: readonly SearchCurve[]): Frame {
  const trials = Math.max(1, ...curves.map((c) => c.points.length));
  const bests = curves.flatMap((c) => c.points.flatMap((p) => (p.best === null ? [] : [p.best])));
  const y = bests.length === 0 ? niceAxis(0, 1) : niceAxis(Math.min(...bests), Math.max(...bests));
  return { x: niceAxis(0, trials, 6, 1), y };
}

const px = (f: Frame, trial: number): number =>
  PLOT.left + ((trial - f.x.min) / (f.x.max - f.x.min)) * PLOT.width;
const py = (f: Frame, value: number): number =>
  PLOT.top + PLOT.height - ((value - f.y.min) / (f.y.max - f.y.min)) * PLOT.height;
const n = (v: number): string => v.toFixed(1);

const BOTTOM = PLOT.top + PLOT.height;
const RIGHT = PLOT.left + PLOT.width;

/** One SVG element, indented, with its attributes in order and optional text content. */
function el(name: string, attrs: Record<string, string | number>, text?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? n(v) : xml(v)}"`)
    .join('');
  return text === undefined ? `    <${name}${a}/>` : `    <${name}${a}>${xml(text)}</${name}>`;
}

function axes(f: Frame): string[] {
  const hLine = (y: number, x1: number, x2: number) => el('line', { x1, y1: y, x2, y2: y });
  const vLine = (x: number, y1: number, y2: number) => el('line', { x1: x, y1, x2: x, y2 });
  return [
    '  <g stroke="#e0e0e0" stroke-width="1">',
    ...f.y.ticks.map((t) => hLine(py(f, t), PLOT.left, RIGHT)),
    '  </g>',
    '  <g stroke="#333333" stroke-width="1">',
    hLine(BOTTOM, PLOT.left, RIGHT),
    vLine(PLOT.left, PLOT.top, BOTTOM),
    ...f.x.ticks.map((t) => vLine(px(f, t), BOTTOM, BOTTOM + 5)),
    ...f.y.ticks.map((t) => hLine(py(f, t), PLOT.left - 5, PLOT.left)),
    '  </g>',
    ...axisLabels(f),
  ];
}

function axisLabels(f: Frame): string[] {
  const midY = PLOT.top + PLOT.height / 2;
  const middle = { 'text-anchor': 'middle' };
  return [
    '  <g fill="#333333">',
    ...f.x.ticks.map((t) =>
      el('text', { x: px(f, t), y: BOTTOM + 19, ...middle }, t.toFixed(f.x.decimals)),
    ),
    ...f.y.ticks.map((t) =>
      el(
        'text',
        { x: PLOT.left - 9, y: py(f, t) + 4, 'text-anchor': 'end' },
        // Rewards are fractions; people read them as percentages, like every other report.
        `${(100 * t).toFixed(Math.max(0, f.y.decimals - 2))}%`,
      ),
    ),
    el(
      'text',
      { x: PLOT.left + PLOT.width / 2, y: BOTTOM + 40, ...middle },
      'trials (in order of finishing)',
    ),
    el(
      'text',
      { x: 20, y: midY, ...middle, transform: `rotate(-90 20 ${midY})` },
      'best reward so far (validation accuracy)',
    ),
    '  </g>',
  ];
}

function curvePath(curve: SearchCurve, stroke: string, f: Frame): string[] {
  const points = curve.points.flatMap((p) =>
    p.best === null ? [] : [{ trial: p.trial, best: p.best }],
  );
  const [first, ...rest] = points;
  if (first === undefined) return [];
  let d = `M${n(px(f, first.trial))} ${n(py(f, first.best))}`;
  let last = first.best;
  for (const p of rest) {
    d += ` H${n(px(f, p.trial))}`;
    if (p.best !== last) d += ` V${n(py(f, p.best))}`;
    last = p.best;
  }
  return [`    <path d="${d}" stroke="${stroke}"><title>${xml(curve.label)}</title></path>`];
}

function legend(curves: readonly SearchCurve[], top: number): string[] {
  return [
    '  <g>',
    ...curves.flatMap((c, i) => {
      const y = top + i * LEGEND_ROW;
      const none = c.points.every((p) => p.best === null) ? ' (no succeeded trial)' : '';
      return [
        el('line', {
          x1: PLOT.left,
          y1: y,
          x2: PLOT.left + 28,
          y2: y,
          stroke: color(i),
          'stroke-width': 3,
        }),
        el('text', { x: PLOT.left + 36, y: y + 4 }, c.label + none),
      ];
    }),
    '  </g>',
  ];
}

function color(i: number): string {
  return CURVE_COLORS[i % CURVE_COLORS.length] ?? '#000000';
}

/**
 * Text for XML content and attribute values: controls escaped ({@link printable}; XML 1.0 forbids
 * most C0 characters anyway, and titles and labels hold run names), then markup characters escaped.
 */
export function xml(text: string): string {
  return printable(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
