/**
 * Issue #11: the README's examples work. Every JSON example is a genotype the real parser accepts;
 * every `nas-ctl` command line parses with the real commands and flags; the run database's tables
 * and columns are all documented; and its example SQL queries run against a real finished run and
 * agree with the run store.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../controller/cli/program.ts';
import { openRunStore, RUN_FILE } from '../../controller/store/index.ts';
import { SCHEMA_COLUMNS } from '../../controller/store/schema.ts';
import { genotypeText } from '../../shared/genotype-text.ts';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';
import { finishedRun } from '../fixtures/finished-run.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The bodies of the README's fenced blocks of `lang`. */
function blocks(lang: string): string[] {
  return [...README.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm'))].map(
    (m) => m[1] ?? '',
  );
}

/** The `npx nas-ctl ...` lines of the shell examples, continuations joined, comments and pipes cut. */
function nasCtlLines(): string[] {
  return blocks('sh')
    .flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) =>
      l
        .replace(/\s+#.*$/, '')
        .replace(/\s*\|.*$/, '')
        .trim(),
    )
    .filter((l) => l.startsWith('npx nas-ctl '));
}

/** nas-ctl's commands with every action replaced by a no-op: parsing checks the flags only. */
function parsingProgram(): Command {
  const program = createProgram();
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  const silence = (c: Command): void => {
    c.action(() => undefined);
    c.commands.forEach(silence);
  };
  program.commands.forEach(silence);
  return program;
}

describe('README examples', () => {
  it('every JSON example is a genotype the parser accepts, with the one-line text shown', () => {
    const examples = blocks('json');
    expect(examples.length).toBeGreaterThan(0);
    for (const text of examples) {
      const genotype = parseGenotype(JSON.parse(text), DEFAULT_SPACE);
      const [start = ''] = genotypeText(genotype).split(') ');
      expect(README.replace(/\s+/g, ' ')).toContain(start);
    }
  });

  it('every nas-ctl command line parses', async () => {
    const lines = nasCtlLines();
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const args = line.split(/\s+/).slice(2);
      const parsed = await parsingProgram()
        .parseAsync(args, { from: 'user' })
        .then(
          () => 'ok',
          (err: unknown) => String(err),
        );
      expect([line, parsed]).toEqual([line, 'ok']);
    }
  });

  it('documents every table and column of the run database', () => {
    const section = README.slice(README.indexOf('### Results'));
    for (const [table, columns] of Object.entries(SCHEMA_COLUMNS)) {
      expect(section).toContain(`- \`${table}\``);
      for (const column of columns)
        expect([table, section]).toEqual([table, expect.stringContaining(`\`${column}\``)]);
    }
  });

  it('the example queries run on a finished run and agree with the run store', () => {
    const [top, perEpoch, ...rest] = blocks('sql');
    expect(rest).toEqual([]);
    const dir = finishedRun(12);
    const db = new Database(`${dir}/${RUN_FILE}`, { readonly: true });
    const store = openRunStore(dir, { readonly: true });
    try {
      const best = db
        .prepare<[], { id: number; reward_percent: number; params: number }>(top ?? '')
        .all();
      const expected = store.bestTrials(5);
      expect(best.map((r) => r.id)).toEqual(expected.map((t) => t.id));
      expect(best.map((r) => r.reward_percent)).toEqual(
        expected.map((t) => Math.round(10_000 * (t.reward ?? 0)) / 100),
      );
      expect(best.map((r) => r.params)).toEqual(expected.map((t) => t.result?.params));
      const epochs = db.prepare<[], { epoch: number; trials: number }>(perEpoch ?? '').all();
      const stored = store.trials().flatMap((t) => store.epochs(t.id).map((e) => e.epoch));
      expect(epochs.map((r) => [r.epoch, r.trials])).toEqual(
        [...new Set(stored)]
          .sort((a, b) => a - b)
          .map((e) => [e, stored.filter((s) => s === e).length]),
      );
    } finally {
      store.close();
      db.close();
    }
  });
});
