/**
 * Who a run lease's holder is (host, pid, boot, pid namespace) and whether a holder on this machine
 * is certainly gone: the facts that let a search take over at once from a nas-ctl killed with -9,
 * instead of waiting for its lease to lapse.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** The process holding (or asking for) a lease. */
export interface ProcessIdentity {
  readonly host: string;
  readonly pid: number;
  /** The kernel's boot id (Linux `/proc/sys/kernel/random/boot_id`); null where unreadable. */
  readonly bootId: string | null;
  /** The pid namespace (`/proc/self/ns/pid`, e.g. `pid:[4026531836]`); null where unreadable. */
  readonly pidNamespace: string | null;
}

/** This process. */
export function thisProcess(): ProcessIdentity {
  return {
    host: hostname(),
    pid: process.pid,
    bootId: readOrNull(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()),
    pidNamespace: readOrNull(() => readlinkSync('/proc/self/ns/pid')),
  };
}

/**
 * Whether `holder` is certainly gone: it ran on this host, in this boot and pid namespace (so its
 * pid means the same process here), and no process (or only a zombie) has that pid any more. Any
 * doubt (another host, containers sharing a host name, an unknown boot) answers false: the holder
 * then keeps the lease until its heartbeat lapses.
 */
export function holderGone(
  holder: ProcessIdentity,
  self: ProcessIdentity = thisProcess(),
): boolean {
  const here =
    holder.host === self.host &&
    holder.bootId === self.bootId &&
    holder.pidNamespace === self.pidNamespace;
  return here && holder.pid !== self.pid && !processExists(holder.pid);
}

/** Whether a process with `pid` runs on this machine (a zombie, dead but not yet reaped, does not). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists, as another user's process.
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
  const stat = readOrNull(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  // The state is the field after the parenthesised command name: Z for a zombie.
  return stat === null || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

function readOrNull(read: () => string): string | null {
  try {
    return read();
  } catch {
    return null;
  }
}
