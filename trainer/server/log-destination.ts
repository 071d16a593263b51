/**
 * Where the trainer's log lines go: its stderr, written synchronously (a crash loses no line). A
 * log the machine cannot take (a full disk under a redirected stderr, a closed pipe) never stops
 * the trainer: lines are dropped and counted, and the first line written again says how many were
 * lost and why.
 */
import { writeSync } from 'node:fs';
import { errnoOf } from '../../runtime/output-file.ts';

/** A pino destination: `write` takes one serialised line. */
export interface LogDestination {
  write(line: string): void;
  /** Lines dropped since the last one written. */
  dropped(): number;
}

/** A destination writing with `writeText` (default: synchronously to stderr). */
export function logDestination(
  writeText: (text: string) => void = (text) => void writeSync(2, text),
): LogDestination {
  let dropped = 0;
  let why = '';
  const put = (text: string): boolean => {
    try {
      writeText(text);
      return true;
    } catch (err) {
      why = errnoOf(err) ?? (err instanceof Error ? err.message : String(err));
      return false;
    }
  };
  return {
    write(line) {
      if (dropped > 0) {
        const note = `${JSON.stringify({ level: 40, time: Date.now(), msg: `log: ${dropped} line${dropped === 1 ? '' : 's'} dropped (${why})` })}\n`;
        if (!put(note)) return void dropped++;
        dropped = 0;
      }
      if (!put(line)) dropped++;
    },
    dropped: () => dropped,
  };
}
