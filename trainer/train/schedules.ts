/** The training schedules: single-period cosine learning rate and ScheduledDropPath's keep probability. */

/** Cosine decay from `initial` to 0 over `totalSteps` (one period, no restarts): lr(t) = initial * (1 + cos(pi t / T)) / 2. */
export function cosineLearningRate(initial: number, step: number, totalSteps: number): number {
  const progress = totalSteps <= 0 ? 1 : Math.min(1, Math.max(0, step / totalSteps));
  return 0.5 * initial * (1 + Math.cos(Math.PI * progress));
}

/**
 * ScheduledDropPath keep probability of cell `cell` (build order, 0-based) of `cells`, at training
 * progress t/T: 1 - min(1, t/T) * ((c + 1) / C) * (1 - p), with p the final keep probability
 * (TF-slim nasnet_utils.py `_apply_drop_path`; ../shared/NASNET.md section 2).
 */
export function dropPathKeep(
  finalKeep: number,
  cell: number,
  cells: number,
  progress: number,
): number {
  const t = Math.min(1, Math.max(0, progress));
  return 1 - t * ((cell + 1) / cells) * (1 - finalKeep);
}
