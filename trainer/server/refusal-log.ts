/**
 * Rate-limited log lines for refused calls, so a flood of calls with a wrong token cannot fill the
 * log. The first refusal of a (reason, peer) is logged at once; the ones after it within the window
 * are only counted, and one line when the window ends (or the server shuts down) says how many:
 * at most two lines per (reason, peer) per window, and at most {@link MAX_PEERS} peers tracked.
 */
import type { Logger } from 'pino';

/** How long refusals of one (reason, peer) are counted instead of logged: 10 s. */
export const REFUSAL_LOG_WINDOW_MS = 10_000;

/** Peers tracked at once; refusals from any further peer share one window (peer `*`). */
export const MAX_PEERS = 256;

/** One refused call: why, from whom (`127.0.0.1:5678` as grpc-js names it) and which method. */
export interface RefusedCall {
  readonly reason: string;
  readonly peer: string;
  readonly method: string;
}

interface Window {
  readonly reason: string;
  readonly peer: string;
  readonly since: number;
  suppressed: number;
  readonly timer: NodeJS.Timeout;
}

/** Logs refused calls through `logger.warn`, at most twice per (reason, peer) per window. */
export class RefusalLog {
  private readonly windows = new Map<string, Window>();
  private readonly logger: Logger;
  private readonly windowMs: number;

  constructor(logger: Logger, windowMs = REFUSAL_LOG_WINDOW_MS) {
    this.logger = logger;
    this.windowMs = windowMs;
  }

  /** Logs `call`, or counts it when its (reason, peer) was logged within the window. */
  refused(call: RefusedCall): void {
    const host = peerHost(call.peer);
    const exact = `${call.reason}\u0000${host}`;
    const tracked = this.windows.has(exact) || this.windows.size < MAX_PEERS;
    const peer = tracked ? host : '*';
    const key = tracked ? exact : `${call.reason}\u0000*`;
    const open = this.windows.get(key);
    if (open !== undefined) {
      open.suppressed += 1;
      return;
    }
    this.logger.warn({ method: call.method, peer }, call.reason);
    const timer = setTimeout(() => this.flush(key), this.windowMs);
    // The count is a courtesy: it never keeps the process alive.
    timer.unref();
    this.windows.set(key, { reason: call.reason, peer, since: Date.now(), suppressed: 0, timer });
  }

  /** Reports every count still open (at shutdown) and stops the timers. */
  close(): void {
    for (const key of [...this.windows.keys()]) this.flush(key);
  }

  private flush(key: string): void {
    const window = this.windows.get(key);
    if (window === undefined) return;
    clearTimeout(window.timer);
    this.windows.delete(key);
    if (window.suppressed === 0) return;
    const since = new Date(window.since).toISOString();
    this.logger.warn(
      { peer: window.peer, suppressed: window.suppressed, since },
      `${window.reason} ... and ${window.suppressed} more refused since ${since}`,
    );
  }
}

/** The peer without its port: each new connection has another, the caller is the same. */
function peerHost(peer: string): string {
  return peer.replace(/:\d+$/, '');
}
