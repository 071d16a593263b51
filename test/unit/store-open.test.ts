import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CorruptRunError,
  NewerSchemaError,
  NotARunError,
  RUN_FILE,
  SCHEMA_VERSION,
  createRunStore,
  openRunStore,
} from '../../controller/store/index.ts';
import { candidate, testConfig } from '../fixtures/run-store-fixtures.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cellsearch-store-'));
}

/** The error `open` throws, checked to be a NotARunError naming `dir` and `why`. */
function expectNotARun(dir: string, why: RegExp): void {
  let caught: unknown;
  try {
    openRunStore(dir).close();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(NotARunError);
  const message = caught instanceof Error ? caught.message : '';
  expect(message).toContain(dir);
  expect(message).toMatch(why);
  expect(message).not.toContain('\n');
}

describe('opening something that is not a run', () => {
  it('names a missing directory', () => {
    expectNotARun(join(tempDir(), 'nope'), /no such directory/);
  });

  it('names a file where a directory should be', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    expectNotARun(file, /not a directory/);
  });

  it('names a directory without a database', () => {
    expectNotARun(tempDir(), /no run\.sqlite in it/);
  });

  it('names a run.sqlite that is not SQLite', () => {
    const dir = tempDir();
    writeFileSync(join(dir, RUN_FILE), 'this is not a database, just some text\n'.repeat(200));
    expectNotARun(dir, /cannot read run\.sqlite: file is not a database/);
  });

  it('names an SQLite database that holds no run', () => {
    const dir = tempDir();
    const db = new Database(join(dir, RUN_FILE));
    db.exec('CREATE TABLE other (x INTEGER)');
    db.close();
    expectNotARun(dir, /holds no cellsearch run/);
  });

  it('refuses a run written with a newer schema', () => {
    const dir = join(tempDir(), 'run');
    createRunStore(dir, testConfig()).close();
    const db = new Database(join(dir, RUN_FILE));
    db.prepare('UPDATE run SET schema_version = ?').run(SCHEMA_VERSION + 1);
    db.close();
    expect(() => openRunStore(dir)).toThrow(NewerSchemaError);
    expect(() => openRunStore(dir)).toThrow(`${dir} was written by a newer cellsearch`);
  });
});

describe('reading back a damaged run', () => {
  it('names the trial whose stored genotype no longer parses', () => {
    const dir = join(tempDir(), 'run');
    const store = createRunStore(dir, testConfig());
    const id = store.trialQueued(candidate(1));
    store.close();
    const db = new Database(join(dir, RUN_FILE));
    db.prepare(
      `UPDATE trials SET genotype = json_set(genotype, '$.normal.blocks[0].opA', 'sep_9x9')`,
    ).run();
    db.close();
    // Opening checks every row: the damaged trial is refused up front, with how to recover.
    expect(() => openRunStore(dir)).toThrow(CorruptRunError);
    expect(() => openRunStore(dir)).toThrow(
      new RegExp(
        `trial ${id}, field genotype: .*normal\\.blocks\\[0\\]\\.opA.*sep_9x9.*nas-ctl doctor`,
      ),
    );
  });
});

describe('read-only opening (the report commands)', () => {
  it('reads a run that a search is writing, and cannot write to it', () => {
    const dir = join(tempDir(), 'run');
    const writer = createRunStore(dir, testConfig());
    const id = writer.trialQueued(candidate(1));
    const reader = openRunStore(dir, { readonly: true });
    writer.trialStarted(id, 'a:1');
    expect(reader.trial(id).status).toBe('running');
    expect(() => reader.trialQueued(candidate(2))).toThrow(/readonly/);
    reader.close();
    writer.close();
  });

  it('reads a closed run', () => {
    const dir = join(tempDir(), 'run');
    const writer = createRunStore(dir, testConfig());
    writer.trialQueued(candidate(1));
    writer.close();
    const reader = openRunStore(dir, { readonly: true });
    expect(reader.counts().queued).toBe(1);
    reader.close();
  });

  it('creates the run directory and its parents', () => {
    const dir = join(tempDir(), 'a', 'b', 'run');
    createRunStore(dir, testConfig()).close();
    mkdirSync(join(dir, 'extra')); // a run directory may hold other files
    expect(openRunStore(dir).config().seed).toBe(7);
  });
});
