/**
 * The run lease over real SQLite files: a live holder refuses a second search and the writers that
 * hold no lease, naming it; a stale holder (an old heartbeat) or a dead one (its pid gone on this
 * host) is taken over with one line; read-only opens never look; a holder whose lease was taken over
 * (frozen past its time to live: an injected clock) writes nothing more.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRunStore,
  LEASE_TTL_MS,
  openRunStore,
  RUN_FILE,
  RunHeldError,
  RunTakenOverError,
  type RunStore,
  type StoreOptions,
} from '../../controller/store/index.ts';
import { diagnoseRun, repairRun } from '../../controller/store/run-doctor.ts';
import { finishedRun } from '../fixtures/finished-run.ts';
import { candidate, testConfig } from '../fixtures/run-store-fixtures.ts';

const T0 = 1_800_000_000_000;

const open: RunStore[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

/** Opens the run in `dir` as a search does (per-turn commits, holding the lease); closed after the test. */
function search(dir: string, options: StoreOptions = {}, notes: string[] = []): RunStore {
  const store = openRunStore(dir, {
    commit: 'turn',
    ...options,
    lease: { notice: (line) => notes.push(line) },
  });
  open.push(store);
  return store;
}

/** A lease row as another nas-ctl wrote it, `ageMs` after its last heartbeat. */
function writeLease(dir: string, row: { host: string; pid: number; ageMs: number }): void {
  const db = new Database(join(dir, RUN_FILE));
  try {
    db.prepare(
      `INSERT OR REPLACE INTO run_lease
         (id, holder, host, pid, boot_id, pid_ns, started_at, heartbeat_at)
       VALUES (1, 'another', ?, ?, ?, ?, ?, ?)`,
    ).run(row.host, row.pid, bootId(), pidNamespace(), T0 - 3_600_000, Date.now() - row.ageMs);
  } finally {
    db.close();
  }
}

function leaseRows(dir: string): { holder: string; host: string; pid: number }[] {
  const db = new Database(join(dir, RUN_FILE), { readonly: true });
  try {
    return db
      .prepare<[], { holder: string; host: string; pid: number }>(
        'SELECT holder, host, pid FROM run_lease',
      )
      .all();
  } finally {
    db.close();
  }
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

/** The pid of a process that ran on this host and has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
  return child.pid;
}

/** The one-line refusal naming a holder (`since`: when it took the lease, by default any time). */
function held(host: string, pid: number | string, since = '\\S+'): RegExp {
  return new RegExp(
    `is held by another nas-ctl: host ${host}, pid ${pid}, since ${since} ` +
      `\\(last heartbeat \\d+ s ago\\); stop it first, or wait \\d+ s for its lease to lapse if it died$`,
  );
}

const SINCE = new Date(T0 - 3_600_000).toISOString();

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets the current turn's transaction commit. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('a run whose lease another nas-ctl holds', () => {
  it('refuses a second search at once, naming the holder; read-only opens and doctor still read it', () => {
    const dir = finishedRun(3);
    writeLease(dir, { host: 'elsewhere', pid: 4242, ageMs: 3_000 });
    expect(() => search(dir)).toThrow(held('elsewhere', 4242, SINCE));
    expect(() => search(dir)).toThrow(RunHeldError);
    // Only a store whose every turn the lease fences may hold it.
    expect(() => openRunStore(dir, { lease: true })).toThrow(/commits per turn/);
    // A writer without a lease (a resume's new budget) is refused the same way.
    expect(() => openRunStore(dir).close()).toThrow(held('elsewhere', 4242));
    const report = openRunStore(dir, { readonly: true });
    expect(report.counts().succeeded).toBe(3);
    report.close();
    expect(diagnoseRun(dir)).toEqual([]);
    expect(() => repairRun(dir)).toThrow(held('elsewhere', 4242));
    expect(leaseRows(dir)).toEqual([{ holder: 'another', host: 'elsewhere', pid: 4242 }]);
  });

  it('is taken over with one line once its heartbeat is older than the lease', () => {
    const dir = finishedRun(3);
    writeLease(dir, { host: 'elsewhere', pid: 4242, ageMs: LEASE_TTL_MS + 5_000 });
    const notes: string[] = [];
    const store = search(dir, {}, notes);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      new RegExp(
        `^nas-ctl: run ${dir}: took over the lease of a stale nas-ctl \\(host elsewhere, pid 4242, since .+; no heartbeat for 3\\d s\\)$`,
      ),
    );
    const rows = leaseRows(dir);
    expect(rows).toMatchObject([{ host: hostname(), pid: process.pid }]);
    expect(rows[0]?.holder).not.toBe('another');
    store.trialQueued(candidate(9));
    store.close();
    open.splice(open.indexOf(store), 1);
    // Released on close.
    expect(leaseRows(dir)).toEqual([]);
  });

  it('is taken over at once when its process on this host is gone (kill -9)', () => {
    const dir = finishedRun(3);
    const pid = deadPid();
    writeLease(dir, { host: hostname(), pid, ageMs: 1_000 });
    const notes: string[] = [];
    search(dir, {}, notes);
    expect(notes).toEqual([
      expect.stringMatching(
        new RegExp(
          `took over the lease of a dead nas-ctl \\(host ${hostname()}, pid ${pid}, since .+; its process is gone\\)$`,
        ),
      ),
    ]);
  });

  it('is kept by a live process on this host, and by one another host could be running', () => {
    const dir = finishedRun(3);
    writeLease(dir, { host: hostname(), pid: process.ppid, ageMs: 1_000 });
    expect(() => search(dir)).toThrow(held(hostname(), process.ppid));
    // The same pid on another host says nothing about that host's process.
    writeLease(dir, { host: 'elsewhere', pid: deadPid(), ageMs: 1_000 });
    expect(() => search(dir)).toThrow(held('elsewhere', '\\d+'));
  });

  it('lets nas-ctl doctor --repair proceed once it lapsed', () => {
    const dir = finishedRun(3);
    writeLease(dir, { host: 'elsewhere', pid: 4242, ageMs: LEASE_TTL_MS + 1_000 });
    expect(repairRun(dir).left).toEqual([]);
  });
});

describe('two searches of one run', () => {
  it('refuses the second while the first holds the lease, which its heartbeat keeps', async () => {
    const dir = finishedRun(3);
    const ttlMs = 600;
    const lease = { ttlMs, notice: () => undefined };
    open.push(openRunStore(dir, { commit: 'turn', lease }));
    expect(() => openRunStore(dir, { commit: 'turn', lease }).close()).toThrow(
      held(hostname(), process.pid),
    );
    // Three times the lease's time to live: only the heartbeats (every ttl / 6) keep it.
    await sleep(3 * ttlMs);
    expect(() => openRunStore(dir, { commit: 'turn', lease }).close()).toThrow(
      held(hostname(), process.pid),
    );
  });

  it('stops the first from writing anything once the second took over its lapsed lease', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-lease-')), 'run');
    createRunStore(dir, testConfig(), { commit: 'turn', lease: true, now: () => T0 }).close();
    // The first search's clock stands still: it was frozen (SIGSTOP) past its lease.
    const first = search(dir, { now: () => T0 });
    first.trialQueued(candidate(1));
    first.journal.asked(1);
    await nextTurn();
    const notes: string[] = [];
    const second = search(dir, { now: () => T0 + LEASE_TTL_MS + 1_000 }, notes);
    expect(notes[0]).toContain('took over the lease of a stale nas-ctl');
    const before = snapshotOf(dir);
    const message = `run ${dir} was taken over by host ${hostname()} pid ${process.pid}; this controller stops without writing`;
    expect(() => first.trialQueued(candidate(2))).toThrow(message);
    expect(() => first.journal.asked(2)).toThrow(RunTakenOverError);
    expect(() => first.saveSnapshot({ any: 1 }, 0)).toThrow(message);
    expect(snapshotOf(dir)).toEqual(before);
    // Its close leaves the second's lease alone; the second writes on.
    first.close();
    open.splice(open.indexOf(first), 1);
    expect(second.trialQueued(candidate(2))).toBe(2);
    await nextTurn();
    expect(snapshotOf(dir)).toMatchObject({ trials: 2, journal: 1 });
  });
});

describe('a run from before the lease', () => {
  it('opens read-only without its table, and gets it when a search opens it', () => {
    const dir = finishedRun(3);
    const db = new Database(join(dir, RUN_FILE));
    db.exec('DROP TABLE run_lease');
    db.close();
    const report = openRunStore(dir, { readonly: true });
    expect(report.counts().succeeded).toBe(3);
    report.close();
    expect(diagnoseRun(dir)).toEqual([]);
    search(dir);
    expect(leaseRows(dir)).toHaveLength(1);
  });
});

/** What the run holds: trials, journal entries and snapshots, by count. */
function snapshotOf(dir: string): { trials: number; journal: number; snapshots: number } {
  const db = new Database(join(dir, RUN_FILE), { readonly: true });
  try {
    const n = (table: string): number =>
      db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? -1;
    return { trials: n('trials'), journal: n('strategy_journal'), snapshots: n('snapshots') };
  } finally {
    db.close();
  }
}
