/**
 * A block of lines at the bottom of a terminal, redrawn in place (status and running trials, a
 * progress bar), with other output printed above it. Lines are cut to the terminal's width, so
 * the block never wraps and erasing it moves the cursor up exactly as many lines as were drawn.
 */
import { fitWidth } from './progress-format.ts';
import { routeNotes } from './progress-notes.ts';

/** A stream the region draws on: a terminal's, whose width may be known. */
export interface TerminalStream {
  write(text: string): boolean;
  readonly columns?: number;
}

/** Where a view writes: results (trial and epoch lines) to `out`, live progress to `err`. */
export interface ViewStreams {
  readonly out: TerminalStream;
  readonly err: TerminalStream & { readonly rows?: number };
}

/** Carriage return, then up to the block's first line, then erase to the end of the screen. */
function eraseCode(lines: number): string {
  if (lines === 0) return '';
  return `\r${lines > 1 ? `\x1b[${lines - 1}A` : ''}\x1b[J`;
}

/** The live block on `terminal`. The cursor rests at the end of its last line (no newline after it). */
export class LiveRegion {
  private shown: readonly string[] = [];

  constructor(private readonly terminal: TerminalStream) {}

  /** Replaces the block with `lines` (nothing is written when they did not change). */
  draw(lines: readonly string[]): void {
    const fitted = lines.map((line) => fitWidth(line, this.terminal.columns));
    if (fitted.length === this.shown.length && fitted.every((l, i) => l === this.shown[i])) return;
    this.terminal.write(eraseCode(this.shown.length) + fitted.join('\n'));
    this.shown = fitted;
  }

  /**
   * Writes `text` (one or more lines) to `out` above the block: the block is erased, the text
   * written, and the block drawn again below it. `out` may be another stream on the same terminal.
   */
  printAbove(out: TerminalStream, text: string): void {
    const block = this.shown;
    if (out === this.terminal) {
      this.terminal.write(eraseCode(block.length) + text + '\n' + block.join('\n'));
      return;
    }
    this.terminal.write(eraseCode(block.length));
    out.write(text + '\n');
    this.terminal.write(block.join('\n'));
  }

  /**
   * Routes stderr notes (progress-notes.ts) above the block until the returned function is
   * called: a note's final newline is dropped, as {@link printAbove} ends the text with one.
   */
  routeNotes(): () => void {
    return routeNotes((text) => this.printAbove(this.terminal, text.replace(/\n$/, '')));
  }

  /** Erases the block, leaving the cursor where its first line was. */
  clear(): void {
    this.terminal.write(eraseCode(this.shown.length));
    this.shown = [];
  }
}
