/**
 * Finding 8 through the real nas-ctl binary: the report commands refuse a damaged run with one line
 * and a non-zero exit (never "internal error", never partial numbers), and `nas-ctl doctor` lists
 * its problems (exit 1), repairs them after a backup (exit 0), after which the reports work again.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nasCtl } from '../fixtures/nas-ctl.ts';
import { finishedRun } from '../fixtures/finished-run.ts';
import { RUN_FILE } from '../../controller/store/index.ts';

function damage(dir: string, sql: string): void {
  const db = new Database(join(dir, RUN_FILE));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

const DAMAGES = {
  'a dropped snapshots table': [
    'DROP TABLE snapshots',
    'table snapshots: table snapshots is missing',
  ],
  'a corrupt genotype': [
    `UPDATE trials SET genotype = '{"normal": ' WHERE id = 2`,
    'table trials, trial 2, field genotype: ',
  ],
} as const;

describe.each(Object.entries(DAMAGES))('a run with %s', (_, [sql, place]) => {
  it('is refused by status, best and export with one line naming it, and repaired by doctor', async () => {
    const dir = finishedRun(6);
    damage(dir, sql);
    const out = join(await mkdtemp(join(tmpdir(), 'cellsearch-doctor-')), 'out');
    for (const args of [['status'], ['best'], ['export', '--out', out]]) {
      const r = await nasCtl(...args, dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`error: ${dir}: cannot read ${place}`);
      expect(r.stderr).toContain(`run \`nas-ctl doctor ${dir}\``);
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const found = await nasCtl('doctor', dir);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(place);
    expect(found.stdout).toContain(`${dir}: 1 problem`);
    const repaired = await nasCtl('doctor', '--repair', dir);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(`${dir}: no problems left`);
    expect((await readdir(dir)).filter((f) => f.startsWith(`${RUN_FILE}.bak-`))).toHaveLength(1);
    expect((await nasCtl('doctor', dir)).stdout).toBe(`${dir}: no problems\n`);
    const status = await nasCtl('status', dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('trials    ');
  });
});

describe('nas-ctl doctor --repair on a run a search has open', () => {
  it('refuses with one line naming the run, and changes nothing', async () => {
    const dir = finishedRun(3);
    damage(dir, 'DROP TABLE snapshots');
    // A search's connection: open, idle between writes (WAL mode keeps its shared lock).
    const search = new Database(join(dir, RUN_FILE));
    search.prepare('SELECT COUNT(*) FROM trials').get();
    try {
      const r = await nasCtl('doctor', '--repair', dir);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        `error: ${dir}: the run is in use by a running search (or another nas-ctl); stop it, then repair`,
      ]);
      expect((await readdir(dir)).filter((f) => f.startsWith(`${RUN_FILE}.bak-`))).toEqual([]);
    } finally {
      search.close();
    }
    expect((await nasCtl('doctor', '--repair', dir)).code).toBe(0);
  });
});

describe('nas-ctl doctor on a file that is no run store', () => {
  const foreign = (): Buffer => {
    // A sound SQLite database, but not a run: no run table.
    const file = join(tmpdir(), `cellsearch-foreign-${process.pid}-${Date.now()}.sqlite`);
    const db = new Database(file);
    db.exec('CREATE TABLE notes (x TEXT)');
    db.close();
    return readFileSync(file);
  };
  const FILES: Record<string, () => Buffer> = {
    'a 0-byte run.sqlite': () => Buffer.alloc(0),
    'a garbage run.sqlite': () => Buffer.from('not sqlite at all\n'.repeat(300)),
    'a short file with the SQLite header': () => Buffer.from('SQLite format 3\0junk', 'latin1'),
    'a SQLite database without a run table': foreign,
  };

  it.each(Object.entries(FILES))(
    'leaves %s byte-identical, with no file beside it, and says why',
    async (_, contents) => {
      const dir = await mkdtemp(join(tmpdir(), 'cellsearch-not-a-run-'));
      const bytes = contents();
      writeFileSync(join(dir, RUN_FILE), bytes);
      for (const args of [
        ['doctor', '--repair', dir],
        ['doctor', dir],
      ]) {
        const r = await nasCtl(...args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`^error: ${dir} is not a cellsearch run directory: `));
        expect(readFileSync(join(dir, RUN_FILE)).equals(bytes), args.join(' ')).toBe(true);
        expect(await readdir(dir)).toEqual([RUN_FILE]);
      }
    },
  );
});
