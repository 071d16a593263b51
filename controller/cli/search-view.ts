/** The live view of a search: a progress bar with best-so-far, trials/min and trainer load, and a line per finished trial. */
import { SingleBar } from 'cli-progress';
import type { SearchEvent } from '../search/search-events.ts';

/** Draws search events on the terminal. */
export interface SearchView {
  update(event: SearchEvent, load: { busy: number; total: number; down: number }): void;
  stop(): void;
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);

/** A view over `total` trials (null: open-ended). */
export function createSearchView(total: number | null, alreadyFinished: number): SearchView {
  const bar = new SingleBar({
    format:
      'search |{bar}| {value}/{total} trials | best {best} | {rate} trials/min | trainers {busy}/{slots} busy{down}',
    stream: process.stderr,
    hideCursor: true,
  });
  const started = Date.now();
  let finished = alreadyFinished;
  let best: number | null = null;
  bar.start(total ?? 0, finished, { best: 'n/a', rate: '0.0', busy: 0, slots: 0, down: '' });
  const log = (line: string): void => {
    bar.stop();
    process.stdout.write(line + '\n');
    bar.start(total ?? 0, finished);
  };
  return {
    update(event, load): void {
      if (event.type === 'trial-finished') {
        finished++;
        if (event.reward !== null && (best === null || event.reward > best)) best = event.reward;
        const how = event.reused ? 'reused' : event.status;
        const extra = event.status === 'succeeded' ? '' : `  (${event.reason})`;
        log(
          `trial ${event.trialId} ${how.padEnd(9)} reward ${pct(event.reward).padStart(6)}  ${event.hash}${extra}`,
        );
      } else if (event.type === 'trial-retry') {
        log(`trial ${event.trialId} re-dispatched: ${event.reason}`);
      }
      const minutes = (Date.now() - started) / 60_000;
      bar.update(finished, {
        best: pct(best),
        rate:
          (finished - alreadyFinished) / Math.max(minutes, 1e-9) > 0
            ? ((finished - alreadyFinished) / minutes).toFixed(1)
            : '0.0',
        busy: load.busy,
        slots: load.total,
        down: load.down > 0 ? `, ${load.down} down` : '',
      });
    },
    stop: () => bar.stop(),
  };
}
