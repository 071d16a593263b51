/**
 * The strategy benchmark's landscapes, by name: the one table a new landscape joins (the fake
 * trainer's `--landscape`, the benchmark's `--landscapes` and its report read it).
 */
import { ADDITIVE_LANDSCAPE } from './additive-landscape.ts';
import type { LandscapeKind } from './landscape.ts';
import { NOISY_LANDSCAPE } from './noisy-landscape.ts';
import { PAIRWISE_LANDSCAPE } from './pairwise-landscape.ts';
import { TRAP_LANDSCAPE } from './trap-landscape.ts';

/** The names of the landscapes, in report order. */
export type LandscapeName = 'additive' | 'pairwise' | 'trap' | 'noisy';

/** Every landscape kind by name. */
export const LANDSCAPES = Object.freeze({
  additive: ADDITIVE_LANDSCAPE,
  pairwise: PAIRWISE_LANDSCAPE,
  trap: TRAP_LANDSCAPE,
  noisy: NOISY_LANDSCAPE,
} satisfies Record<LandscapeName, LandscapeKind>);

/** True when `name` is a landscape's name. */
export function isLandscapeName(name: string): name is LandscapeName {
  return Object.hasOwn(LANDSCAPES, name);
}

/** Every landscape name, in report order. */
export const LANDSCAPE_NAMES: readonly LandscapeName[] = Object.freeze(
  Object.keys(LANDSCAPES).filter(isLandscapeName),
);
