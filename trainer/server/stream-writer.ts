/**
 * Backpressure for a server stream's writes. grpc-js streams are Node Writables whose `write` returns
 * false once the peer stops taking messages (HTTP/2 flow control) and which emit 'drain' when it
 * takes them again. The writer then holds further messages in its own queue, in order, and hands
 * them over on 'drain', so a slow caller costs the queue, not the stream's unbounded buffer.
 *
 * Invariants: messages reach the stream in the order written (less any superseded ones); while the
 * stream is blocked, no message is handed to it; once the stream is cancelled, errored, closed or
 * ended, messages are dropped and every pending `write` resolves, so no producer waits forever.
 */
import type { Writable } from 'node:stream';

/** What the writer writes to: a Node Writable, optionally with grpc-js's `cancelled` flag. */
export type WritableCall = Writable & { readonly cancelled?: boolean };

/** How one writer treats its queue. */
export interface StreamWriterOptions<T> {
  /**
   * A key for messages that a newer one makes pointless (progress reports), undefined for the rest.
   * A queued message with the key of a new one leaves the queue, and the new one joins at the end,
   * so progress never grows the queue by more than one message per key.
   */
  readonly supersedeKey?: (message: T) => unknown;
}

/** The promise of a message handed over at once. */
const HANDED: Promise<void> = Promise.resolve();

interface Queued<T> {
  readonly message: T;
  readonly key: unknown;
  readonly handed: () => void;
  superseded: boolean;
}

/** Writes to one stream (a grpc-js ServerWritableStream or ServerDuplexStream) with backpressure. */
export class StreamWriter<T> {
  private queue: Queued<T>[] = [];
  /** The queued message of each supersede key. */
  private readonly latest = new Map<unknown, Queued<T>>();
  /** Superseded messages still in `queue`; never more than the live ones. */
  private superseded = 0;
  private gone: boolean;
  private blocked = false;
  private ending = false;

  constructor(
    private readonly stream: WritableCall,
    private readonly options: StreamWriterOptions<T> = {},
  ) {
    this.gone = stream.cancelled === true || stream.writableEnded || stream.destroyed;
    stream.on('drain', () => this.flush());
    // grpc-js never calls back a write on a cancelled call, so 'drain' would never come: let go.
    const onGone = (): void => this.release();
    for (const event of ['cancelled', 'error', 'close', 'finish']) stream.once(event, onGone);
  }

  /** True once writes are dropped: the stream is gone or `end` was called. */
  get closed(): boolean {
    return this.gone || this.ending;
  }

  /**
   * Hands `message` to the stream now, or queues it behind earlier ones until the stream drains.
   * Resolves once it was handed over, superseded, or dropped because the stream is gone; an async
   * producer awaits it to wait for the drain, a synchronous one ignores it.
   */
  write(message: T): Promise<void> {
    if (this.closed) return HANDED;
    if (!this.blocked && this.queue.length === 0) {
      // The usual case, a caller that keeps up: straight to the stream, nothing allocated.
      this.blocked = !this.stream.write(message);
      return HANDED;
    }
    const key = this.options.supersedeKey?.(message);
    if (key !== undefined) this.supersede(key);
    return new Promise<void>((handed) => {
      const item = { message, key, handed, superseded: false };
      this.queue.push(item);
      if (key !== undefined) this.latest.set(key, item);
      if (this.blocked) return;
      this.flush();
    });
  }

  /** Ends the stream once every queued message was handed over; later writes are dropped. */
  end(): void {
    if (this.ending) return;
    this.ending = true;
    if (this.gone) this.finish();
    else if (!this.blocked) this.flush();
  }

  /** Hands queued messages over until the stream pushes back; ends it when asked and emptied. */
  private flush(): void {
    this.blocked = false;
    while (!this.gone && !this.blocked) {
      const item = this.queue.shift();
      if (item === undefined) break;
      if (item.superseded) {
        this.superseded--;
        continue;
      }
      if (this.latest.get(item.key) === item) this.latest.delete(item.key);
      this.blocked = !this.stream.write(item.message);
      item.handed();
    }
    if (this.gone || this.blocked) return;
    if (this.ending) this.finish();
  }

  /** Drops the queued message with `key`, if any. */
  private supersede(key: unknown): void {
    const earlier = this.latest.get(key);
    if (earlier === undefined) return;
    earlier.superseded = true;
    earlier.handed();
    // Superseded messages leave the queue in bulk once they outnumber the live ones: each write
    // costs O(1) amortised, and the queue never holds more than twice the live messages.
    if (++this.superseded > this.queue.length / 2) {
      this.queue = this.queue.filter((item) => !item.superseded);
      this.superseded = 0;
    }
  }

  /** The stream is gone: drop the queue and let every waiting producer go. */
  private release(): void {
    this.gone = true;
    for (const item of this.queue.splice(0)) item.handed();
    this.latest.clear();
    this.superseded = 0;
  }

  private finish(): void {
    if (!this.stream.writableEnded && !this.stream.destroyed) this.stream.end();
  }
}
