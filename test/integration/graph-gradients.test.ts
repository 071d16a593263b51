/**
 * What TensorFlow's C++ gradient registry (TF_AddGradients) gives the graph step, per op kind of
 * the search space, pinned so a TensorFlow upgrade that changes it fails here first: every probe
 * differentiates and runs, except SparseSoftmaxCrossEntropyWithLogits (no C++ gradient), and the
 * Conv2D and DepthwiseConv2dNative gradients ignore `dilations` (wrong values, no error), which
 * the SpaceToBatchND form of a dilated convolution avoids. Skips where the addon is not built.
 */
import { describe, expect, it } from 'vitest';
import { installedGraphAddon } from '../fixtures/graph-addon.ts';
import { GRADIENT_PROBES, type ProbeName } from '../../trainer/graph/gradient-probes.ts';
import { runProbe } from '../../trainer/graph/run-probe.ts';

const addon = installedGraphAddon();

/** Probes whose gradient the registry lacks. */
const MISSING: readonly ProbeName[] = ['SparseSoftmaxCrossEntropyWithLogits'];
/** Probes whose gradient exists but is wrong: the dilation rate is dropped. */
const WRONG: readonly ProbeName[] = ['Conv2D dilated', 'DepthwiseConv2dNative dilated'];
/** Relative error a right gradient of a linear op stays under in float32 at these sizes. */
const LINEAR_TOLERANCE = 1e-4;

const names = Object.keys(GRADIENT_PROBES).filter((n): n is ProbeName => n in GRADIENT_PROBES);

describe.skipIf(addon === null)('the C++ gradient registry of libtensorflow', () => {
  it.each(names.filter((n) => !MISSING.includes(n) && !WRONG.includes(n)))(
    'differentiates %s',
    (name) => {
      if (addon === null) return;
      const result = runProbe(addon, name);
      expect(result).toMatchObject({ ok: true });
      if (result.ok) {
        expect(result.gradientNorms.every(Number.isFinite)).toBe(true);
        expect(result.linearError ?? 0).toBeLessThan(LINEAR_TOLERANCE);
      }
    },
  );

  it.each(MISSING)('has no gradient for %s', (name) => {
    if (addon === null) return;
    const result = runProbe(addon, name);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.stage).toBe('gradient');
      expect(result.message).toContain('No gradient defined');
    }
  });

  it.each(WRONG)('gives a wrong gradient for %s (dilations dropped)', (name) => {
    if (addon === null) return;
    const result = runProbe(addon, name);
    expect(result.ok && (result.linearError ?? 0) > 1e-2).toBe(true);
  });
});
