/**
 * Every process, temporary folder and mount the chaos campaign makes, so that all of them are gone
 * when it ends, whether it finished, failed or was stopped with Ctrl-C. Each child runs in a process
 * group of its own (what a terminal does for a job): a signal to the group reaches the child and
 * whatever it started (tsx's esbuild helper, a trainer's own children).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A started child and its pid, which is also its process group's id. */
export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
}

/** The process groups and folders of one campaign. */
export class ProcessRegistry {
  private readonly groups = new Set<number>();
  private readonly dirs: string[] = [];
  private readonly undo: (() => void)[] = [];

  /** Starts `node <script> ...args` in a process group of its own, stdout and stderr piped. */
  spawnNode(script: string, args: readonly string[]): Spawned {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const { pid } = child;
    if (pid === undefined) throw new Error(`could not start ${script}`);
    this.groups.add(pid);
    child.once('exit', () => {
      if (!groupAlive(pid)) this.groups.delete(pid);
    });
    return { child, pid };
  }

  /** A fresh temporary folder, removed by {@link cleanUp}. */
  tempDir(label: string): string {
    const dir = mkdtempSync(join(tmpdir(), `cellsearch-chaos-${label}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** Sends `signal` to every process of the group led by `pgid` (ignoring a group already gone). */
  signalGroup(pgid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pgid, signal);
    } catch {
      // the group is gone already
    }
  }

  /**
   * Registers `step` (unmounting a file system) for {@link cleanUp}, which runs it after the
   * processes are gone and before the folders are removed; returns how to run it sooner, once.
   */
  atCleanUp(step: () => void): () => void {
    let done = false;
    const once = (): void => {
      if (done) return;
      done = true;
      step();
    };
    this.undo.push(once);
    return once;
  }

  /**
   * Continues (a frozen one) and kills every group still alive, runs the steps of
   * {@link atCleanUp} (newest first), then removes the folders.
   */
  cleanUp(): void {
    for (const pgid of this.groups) {
      this.signalGroup(pgid, 'SIGCONT');
      this.signalGroup(pgid, 'SIGKILL');
    }
    this.groups.clear();
    for (const step of this.undo.splice(0).reverse()) step();
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }

  /** Kills the group led by `pgid` now (SIGCONT first, so a frozen group dies too). */
  killGroup(pgid: number): void {
    this.signalGroup(pgid, 'SIGCONT');
    this.signalGroup(pgid, 'SIGKILL');
    this.groups.delete(pgid);
  }
}

/** Whether any process of the group `pgid` is left. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
