/**
 * Live updates by server-sent events (`GET /api/events`). While a page is open, every run is polled
 * every {@link POLL_MS}: a poll is one `PRAGMA data_version` (a counter in shared memory, no table
 * read) and reads rows only when another connection committed. Each change (its run's overview and
 * the trials that changed) goes to every open page; a trial that finishes shows within a second.
 * The overview of a run whose search serves the page is also sent every {@link LIVE_OVERVIEW_MS},
 * for its trainers' state, which the store does not hold.
 */
import type { ServerResponse } from 'node:http';
import type { DashboardRun } from './dashboard-run.ts';
import type { RunChange } from './dashboard-types.ts';

/** How often the runs are polled for commits while a page is open. */
export const POLL_MS = 250;
/** How often a live search's overview is sent when nothing was committed. */
export const LIVE_OVERVIEW_MS = 2_000;
/** How often a comment line keeps idle connections (and proxies) open. */
const KEEPALIVE_MS = 15_000;

/** The open event streams and the poll that feeds them. */
export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;

  /** `onError` hears of a run that cannot be read (once per failing poll). */
  constructor(
    private readonly runs: () => readonly DashboardRun[],
    private readonly onError: (err: unknown, run: DashboardRun) => void,
  ) {}

  /** Sends `run`'s changes, whoever read them, to every open stream. */
  watch(run: DashboardRun): void {
    run.onChange((change) => this.send('change', change));
    this.send('runs', { runs: this.runs().length });
  }

  /** Makes `res` an event stream until the page closes it. */
  attach(res: ServerResponse, head: boolean): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    if (head) {
      res.end();
      return;
    }
    res.write(
      `retry: 1000\nevent: runs\ndata: ${JSON.stringify({ runs: this.runs().length })}\n\n`,
    );
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stop();
    });
    this.timer ??= setInterval(() => this.poll(), POLL_MS);
  }

  /** Ends every stream and the poll. */
  close(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stop();
  }

  private poll(): void {
    this.ticks += 1;
    const now = Date.now();
    const liveDue = this.ticks % Math.round(LIVE_OVERVIEW_MS / POLL_MS) === 0;
    for (const run of this.runs()) {
      try {
        const before = run.changes;
        run.sync(now);
        if (liveDue && run.live && run.changes === before) this.send('change', idle(run, now));
      } catch (err) {
        this.onError(err, run);
      }
    }
    if (this.ticks % Math.round(KEEPALIVE_MS / POLL_MS) === 0) this.write(': keepalive\n\n');
  }

  private send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

function idle(run: DashboardRun, now: number): RunChange {
  return { run: run.run, overview: run.overview(now), trials: [], signalChanged: false };
}
