/**
 * The process-level Prometheus metrics both binaries export beside their own: prom-client's standard
 * process and Node.js metrics (less the ones whose names break Prometheus's naming rules) and a
 * `<prefix>build_info` gauge. Both pass `promtool check metrics` with no warning.
 */
import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import { VERSION } from './version.ts';

/**
 * prom-client's default metrics left out: gauges named `_total`, which Prometheus reserves for
 * counters (`promtool check metrics` warns). Each is the sum of the gauge of the same name without
 * `_total`, which stays (`sum(nodejs_active_handles)`), so nothing is lost.
 */
export const DROPPED_DEFAULT_METRICS: readonly string[] = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * Registers prom-client's standard process and Node.js metrics in `registry`, under their usual
 * names, except DROPPED_DEFAULT_METRICS. (prom-client 15 has no option to leave one out, so they
 * are removed from the registry once registered.)
 */
export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name);
}

/**
 * Registers `<prefix>build_info` in `registry`: always 1, with labels `version` (cellsearch's) and
 * `nodejs_version` (`process.version`), in the style of Prometheus's own `prometheus_build_info`.
 */
export function registerBuildInfo(registry: Registry, prefix: string): void {
  new Gauge({
    name: `${prefix}build_info`,
    help: 'Always 1; the labels tell which cellsearch version runs on which Node.js version.',
    labelNames: ['version', 'nodejs_version'],
    registers: [registry],
  }).set({ version: VERSION, nodejs_version: process.version }, 1);
}
