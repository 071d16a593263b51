/**
 * The metrics of a search that has ended: its gauges frozen at their last values (the store is about
 * to close) and, with `--metrics-linger`, the endpoint kept up a while so that a scraper's next pass
 * (Prometheus scrapes every 15 to 60 s) still reads the final counters.
 */
import type { ObservedSearch } from './controller-metrics.ts';

/**
 * `search` as it stands now, read once: the queue and the best trial keep their last values, and
 * no trainer is counted (the search no longer watches its trainers; local ones are stopped). Null
 * when its store cannot be read (the search is ending on that error: the gauges go empty).
 */
export function frozenSearch(search: ObservedSearch): ObservedSearch | null {
  let counts: ReturnType<ObservedSearch['store']['counts']>;
  let best: ReturnType<ObservedSearch['store']['bestTrials']>;
  try {
    counts = search.store.counts();
    best = search.store.bestTrials(1);
  } catch {
    return null;
  }
  return {
    pool: { trainerStates: () => [] },
    store: { counts: () => counts, bestTrials: (k) => best.slice(0, k) },
  };
}

/**
 * Keeps the process (and so the endpoint at `url`) up for `ms` after the search, saying so on
 * stderr; SIGINT or SIGTERM ends the wait at once. Resolves with the signal that ended it, or null.
 */
export async function lingerMetrics(url: string, ms: number): Promise<NodeJS.Signals | null> {
  if (ms <= 0) return null;
  process.stderr.write(
    `nas-ctl: metrics stay on ${url} for ${Math.round(ms / 1000)}s (--metrics-linger); Ctrl-C ends now\n`,
  );
  return new Promise((resolve) => {
    const end = (signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    const onSignal = (signal: NodeJS.Signals): void => end(signal);
    const timer = setTimeout(() => end(null), ms);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
