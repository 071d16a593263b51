/**
 * Notes for stderr while a live view may be drawing its block there: a stop notice, a local
 * trainer that exited, what a trainer process printed. A note written straight to stderr lands
 * inside the block and breaks its line count (stale status lines stay on screen); routed here, it
 * goes through the view's "print above" instead. With no live block it is written as it is.
 */

/** Writes a note: whole lines, each ending in a newline. */
export type NotePrinter = (text: string) => void;

const toStderr: NotePrinter = (text) => void process.stderr.write(text);
let current: NotePrinter = toStderr;

/** Writes `text` (whole lines, each ending in a newline) to stderr, above the live block if one is drawn. */
export function printNote(text: string): void {
  current(text);
}

/**
 * Sends notes to `print` (a live view's "print above") until the returned function is called,
 * which restores the previous route.
 */
export function routeNotes(print: NotePrinter): () => void {
  const previous = current;
  current = print;
  return () => {
    if (current === print) current = previous;
  };
}
