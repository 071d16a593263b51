/** Search curves: the best reward found so far against the number of finished trials. */
import { csvField } from './csv.ts';
import type { RewardPoint } from '../store/index.ts';

/** One finished trial on a search curve. */
export interface CurvePoint {
  /** The trial's place in finish order: 1 for the first trial to finish. */
  readonly trial: number;
  /** Its own reward (null when it failed or was cancelled). */
  readonly reward: number | null;
  /** The best reward of trials 1 .. trial, or null before the first success. */
  readonly best: number | null;
}

/** A run's search curve with the label its legend shows. */
export interface SearchCurve {
  readonly label: string;
  readonly points: readonly CurvePoint[];
}

/** The best-so-far curve of a run's finished trials (in finish order); failures carry the best on. */
export function bestSoFar(points: readonly RewardPoint[]): CurvePoint[] {
  let best: number | null = null;
  return points.map((p, i) => {
    const reward = p.status === 'succeeded' ? p.reward : null;
    if (reward !== null && (best === null || reward > best)) best = reward;
    return { trial: i + 1, reward, best };
  });
}

/** The curves as CSV: one row per run and finished trial. */
export function curvesCsv(curves: readonly SearchCurve[]): string {
  const rows = ['run,trial,reward,best_so_far'];
  const cell = (v: number | null): string => (v === null ? '' : String(v));
  for (const c of curves) {
    for (const p of c.points)
      rows.push([csvField(c.label), p.trial, cell(p.reward), cell(p.best)].join(','));
  }
  return rows.join('\n') + '\n';
}
