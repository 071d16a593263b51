/**
 * The memory one dataset read may hold at once. Readers know what each file and array will take
 * before they allocate it (a file's size from fstat, an array's from the counts), reserve it here
 * first, and release what they drop (an image file once decoded), so a read that would pass the
 * limit is refused before the allocation, naming the file that would pass it.
 */
import { formatBytes } from '../../shared/byte-size.ts';
import { DatasetTooLargeError } from './errors.ts';

/** A byte budget for one dataset read; see the module comment. */
export class ReadBudget {
  private held = 0;

  /** `limitName` names the limit in refusals, e.g. "this trainer's memory limit (--max-memory)". */
  constructor(
    readonly limitBytes: number,
    readonly limitName: string,
  ) {}

  /** Bytes still free. */
  remaining(): number {
    return Math.max(0, this.limitBytes - this.held);
  }

  /** Counts `bytes` that reading `file` will allocate; throws DatasetTooLargeError past the limit. */
  reserve(bytes: number, file: string): void {
    if (this.held + bytes > this.limitBytes) {
      throw new DatasetTooLargeError(
        file,
        `reading it needs ${formatBytes(bytes)} more, ${formatBytes(this.held + bytes)} in all for this dataset, more than ${this.limitName} of ${formatBytes(this.limitBytes)}; allowed: a smaller dataset, or a trainer with more memory`,
      );
    }
    this.held += bytes;
  }

  /** Returns `bytes` reserved earlier that are no longer held. */
  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}
