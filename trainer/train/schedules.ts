/** The learning-rate schedule: single-period cosine decay (ScheduledDropPath's schedule is in trainer/network/drop-path.ts). */

/** Cosine decay from `initial` to 0 over `totalSteps` (one period, no restarts): lr(t) = initial * (1 + cos(pi t / T)) / 2. */
export function cosineLearningRate(initial: number, step: number, totalSteps: number): number {
  const progress = totalSteps <= 0 ? 1 : Math.min(1, Math.max(0, step / totalSteps));
  return 0.5 * initial * (1 + Math.cos(Math.PI * progress));
}
