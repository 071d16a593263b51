/**
 * Runs one gradient probe of gradient-probes.ts: builds its graph, adds gradients with
 * TF_AddGradients, runs them once and, for linear ops, checks them against the op itself.
 */
import type { GraphAddon, GraphOutput } from './graph-addon.ts';
import { GraphBuilder } from './graph-builder.ts';
import { GRADIENT_PROBES, type ProbeGraph, type ProbeName } from './gradient-probes.ts';

/** The outcome of one probe. */
export type ProbeResult =
  | {
      readonly ok: true;
      readonly gradientNorms: readonly number[];
      /** For linear ops: the largest |sum(g*D) - sum(op(D))| / |sum(op(D))| over the inputs. */
      readonly linearError?: number;
    }
  | { readonly ok: false; readonly stage: 'gradient' | 'run'; readonly message: string };

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Builds one probe's graph in a fresh TF_Graph, adds its gradients and runs them once. */
export function runProbe(addon: GraphAddon, name: ProbeName): ProbeResult {
  const b = new GraphBuilder(addon);
  const probe = GRADIENT_PROBES[name](b);
  let grads: (GraphOutput | null)[];
  try {
    grads = addon.addGradients(b.graph, 'gradients', [probe.y], probe.xs);
  } catch (err) {
    return { ok: false, stage: 'gradient', message: errorText(err) };
  }
  const fetches = grads.filter((g): g is GraphOutput => g !== null);
  const checks = linearChecks(b, fetches, probe);
  const session = addon.newSession(b.graph, new Uint8Array());
  try {
    const values = addon.run(session, probe.feeds, [...fetches, ...checks], []);
    const norms = values.slice(0, fetches.length).map((v) => Math.hypot(...v.data));
    const linearError = relativeError(values.slice(fetches.length).map((v) => v.data[0] ?? NaN));
    return {
      ok: true,
      gradientNorms: norms,
      ...(linearError === undefined ? {} : { linearError }),
    };
  } catch (err) {
    return { ok: false, stage: 'run', message: errorText(err) };
  } finally {
    addon.closeSession(session);
  }
}

/** For linear probes: per input, [sum(g_i * D_i), sum(op with x_i := D_i)], flattened. */
function linearChecks(
  b: GraphBuilder,
  grads: readonly GraphOutput[],
  probe: ProbeGraph,
): GraphOutput[] {
  const linear = probe.linear;
  if (linear === undefined) return [];
  return grads.flatMap((g, i) => {
    const direction = linear.directions[i];
    const sum = linear.sums[i];
    if (direction === undefined || sum === undefined) return [];
    return [b.op1('Sum', [b.op1('Mul', [g, direction]), b.ints([0, 1, 2, 3])]), sum];
  });
}

/** The largest relative difference within each consecutive pair, or undefined for no pairs. */
function relativeError(values: readonly number[]): number | undefined {
  let worst: number | undefined;
  for (let i = 0; i + 1 < values.length; i += 2) {
    const [got, want] = [values[i] ?? NaN, values[i + 1] ?? NaN];
    const err = Math.abs(got - want) / Math.max(Math.abs(want), 1e-6);
    worst = worst === undefined ? err : Math.max(worst, err);
  }
  return worst;
}
