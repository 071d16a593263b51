/**
 * Every `nas-ctl <command> --help` and `nas-trainer <command> --help` ends with 1-3 examples from
 * its CLI's one table (issue #24), and every example parses with the real commands and flags.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../controller/cli/program.ts';
import { CTL_EXAMPLES } from '../../controller/cli/help-examples.ts';
import { createTrainerProgram } from '../../trainer/cli/program.ts';
import { TRAINER_EXAMPLES } from '../../trainer/cli/help-examples.ts';
import { commandPaths, type HelpExamples } from '../../runtime/help-examples.ts';

const CLIS: readonly { name: string; create: () => Command; table: HelpExamples }[] = [
  { name: 'nas-ctl', create: createProgram, table: CTL_EXAMPLES },
  { name: 'nas-trainer', create: createTrainerProgram, table: TRAINER_EXAMPLES },
];

/** The program with every action replaced by a no-op and no output: parsing checks the flags only. */
function parsingProgram(create: () => Command): Command {
  const program = create();
  const silence = (c: Command): void => {
    c.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    if (c !== program) c.action(() => undefined);
    c.commands.forEach(silence);
  };
  silence(program);
  return program;
}

/** The help `command` prints, the text added after it included. */
function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s) });
  command.outputHelp();
  return text;
}

describe.each(CLIS)('$name --help examples', ({ name, create, table }) => {
  const paths = commandPaths(create());

  it('every command has 1 to 3 examples, and every example names its command', () => {
    for (const { path } of paths) {
      const examples = table[path] ?? [];
      expect([path, examples.length >= 1 && examples.length <= 3]).toEqual([path, true]);
      for (const e of examples) expect(e.startsWith(`${name} ${path}`.trim())).toBe(true);
    }
    const known = new Set(paths.map((p) => p.path));
    expect(Object.keys(table).filter((path) => !known.has(path))).toEqual([]);
  });

  it('every help page ends with its examples', () => {
    for (const { path, command } of paths) {
      const examples = (table[path] ?? []).map((e) => `  $ ${e}`).join('\n');
      expect(helpOf(command).trimEnd().endsWith(`\nExamples:\n${examples}`), path).toBe(true);
    }
  });

  it('every example parses with the real commands and flags', async () => {
    for (const example of Object.values(table).flat()) {
      const args = example.split(/\s+/).slice(1);
      const parsed = await parsingProgram(create)
        .parseAsync(args, { from: 'user' })
        .then(
          () => 'ok',
          (err: unknown) => (err instanceof Error ? err.message : String(err)),
        );
      expect([example, parsed]).toEqual([example, 'ok']);
    }
  });
});
