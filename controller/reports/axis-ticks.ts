/** Axis ticks at "nice" values (1, 2 or 5 times a power of ten), for the hand-written SVG charts. */

/** An axis: its shown range and the tick values inside it. */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  /** Decimals that print every tick exactly. */
  readonly decimals: number;
}

/**
 * About `count` nice ticks covering [lo, hi]; the range widens to whole ticks. `minStep` bounds
 * the step from below (1 for an axis of counts).
 */
export function niceAxis(lo: number, hi: number, count = 5, minStep = 0): Axis {
  const pad = 0.05 * (Math.abs(lo) || 1);
  const [a, b] = lo === hi ? [lo - pad, hi + pad] : [lo, hi];
  const step = Math.max(minStep, niceStep((b - a) / Math.max(1, count)));
  const min = Math.floor(a / step) * step;
  const max = Math.ceil(b / step) * step;
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step / 2; i++) ticks.push(round(min + i * step, step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { min: round(min, step), max: round(max, step), ticks, decimals };
}

/** The nice step nearest above `raw`: 1, 2 or 5 times a power of ten. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** `value` without the floating-point dust of adding steps. */
function round(value: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step))) + 2;
  return Number(value.toFixed(Math.min(digits, 15)));
}
