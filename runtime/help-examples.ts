/**
 * The "Examples:" section that ends every command's `--help`: each CLI keeps its examples in one
 * table, keyed by command path (the words after the program's name, '' for the program itself).
 */
import type { Command } from 'commander';

/** 1 to 3 real invocations (whole command lines, program name first) per command path. */
export type HelpExamples = Readonly<Record<string, readonly string[]>>;

/** Every visible command of `program` with its path, the program itself first. */
export function commandPaths(program: Command): { path: string; command: Command }[] {
  const found: { path: string; command: Command }[] = [];
  const walk = (command: Command, path: string): void => {
    found.push({ path, command });
    for (const sub of command.commands) {
      if (Reflect.get(sub, '_hidden') === true) continue;
      walk(sub, path === '' ? sub.name() : `${path} ${sub.name()}`);
    }
  };
  walk(program, '');
  return found;
}

/** Appends `table`'s examples to the help of each command they name (after all other help text). */
export function addHelpExamples(program: Command, table: HelpExamples): void {
  for (const { path, command } of commandPaths(program)) {
    const examples = Object.hasOwn(table, path) ? table[path] : undefined;
    if (examples === undefined || examples.length === 0) continue;
    command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
  }
}
