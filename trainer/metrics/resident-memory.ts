/** Resident memory of other processes, read from Linux's /proc (cheap enough for every scrape). */
import { readFileSync } from 'node:fs';

const VM_RSS = /^VmRSS:\s+(\d+) kB$/m;

/**
 * Resident bytes of the processes `pids` together; null where /proc cannot tell (not Linux). A
 * process that ended meanwhile counts nothing.
 */
export function residentBytes(pids: readonly number[]): number | null {
  if (process.platform !== 'linux') return null;
  let total = 0;
  for (const pid of pids) {
    const kib = VM_RSS.exec(procStatus(pid))?.[1];
    if (kib !== undefined) total += Number(kib) * 1024;
  }
  return total;
}

/** /proc/<pid>/status, or '' when the process is gone. */
function procStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
}
